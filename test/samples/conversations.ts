// The scripted conversations behind the demo traces. The fake OpenAI server answers from these,
// the real SDKs record what happened. Four topics so that clustering has something to find.

export type Topic = 'refund' | 'shipping' | 'product_search' | 'code_help'

export interface ToolStep {
  name: string
  args: Record<string, unknown>
  result: unknown
}

export interface Turn {
  user: string
  /** the model first asks for this tool, then answers with its result */
  tool?: ToolStep
  answer: string
  /** the first call for this turn fails; `retry` = the app tries once more, else it gives up */
  fail?: { status: 429 | 500; retry: boolean }
}

export interface Conversation {
  topic: Topic
  app: 'lumen-shop-assistant' | 'lumen-dev-helper'
  model: string
  distinctId: string
  turns: Turn[]
}

export const SHOP_SYSTEM =
  'You are Lumen, the shopping assistant of Lumen Lamps, an online lamp shop shipping within the EU. ' +
  'Be brief and friendly. Use the tools to look up orders, shipments and products; never invent order data.'
export const DEV_SYSTEM =
  'You are a coding assistant for the Lumen Lamps web team (plain JavaScript, Node.js, PostgreSQL). ' +
  'Answer with short explanations and small code snippets.'

/** OpenAI tool definitions (what the app sends in `tools`). */
export const SHOP_TOOLS = [
  fn('lookup_order', 'Look up an order by its id. Returns status, items and payment state.', { order_id: 'string' }),
  fn('track_shipment', 'Track the parcel of an order. Returns carrier, status and estimated delivery.', { order_id: 'string' }),
  fn('search_products', 'Search the lamp catalogue. Returns matching products with prices.', { query: 'string' }),
  fn('check_payment_status', 'Check whether a failed checkout charged the customer.', { session: 'string' }),
]
export const DEV_TOOLS = [fn('search_docs', 'Search the team wiki and API docs.', { query: 'string' })]

function fn(name: string, description: string, params: Record<string, 'string'>) {
  const properties = Object.fromEntries(Object.keys(params).map((k) => [k, { type: params[k] }]))
  return {
    type: 'function' as const,
    function: { name, description, parameters: { type: 'object', properties, required: Object.keys(params) } },
  }
}

const shop = (topic: Topic, distinctId: string, ...turns: Turn[]): Conversation => ({
  topic,
  app: 'lumen-shop-assistant',
  model: 'gpt-4.1-mini',
  distinctId,
  turns,
})
const dev = (distinctId: string, ...turns: Turn[]): Conversation => ({
  topic: 'code_help',
  app: 'lumen-dev-helper',
  model: 'gpt-4.1',
  distinctId,
  turns,
})

const order = (id: string, item: string, status: string, extra: Record<string, unknown> = {}) => ({
  name: 'lookup_order',
  args: { order_id: id },
  result: { order_id: id, status, items: [item], paid: true, ...extra },
})
const parcel = (id: string, status: string, eta: string) => ({
  name: 'track_shipment',
  args: { order_id: id },
  result: { order_id: id, carrier: 'DHL', status, estimated_delivery: eta },
})
const search = (query: string, ...hits: [string, number][]) => ({
  name: 'search_products',
  args: { query },
  result: hits.map(([name, price]) => ({ name, price_eur: price })),
})
const docs = (query: string, snippet: string) => ({
  name: 'search_docs',
  args: { query },
  result: [{ page: 'wiki/' + query.replace(/\s+/g, '-'), snippet }],
})

/** Eight conversations per topic: the first six go through PostHog, the last two through OpenTelemetry. */
export const BANK: Record<Topic, Conversation[]> = {
  refund: [
    shop('refund', 'user_1042',
      { user: 'I want to return the Aurora desk lamp from order LL-20931, it flickers. How do I get a refund?', tool: order('LL-20931', 'Aurora desk lamp', 'delivered', { delivered: '2026-11-21' }),
        answer: 'Sorry about the flicker! Order LL-20931 is within the 30-day return window. I have opened return RMA-5521; print the label from the email we just sent and drop the parcel at any DHL point. The €49.00 refund reaches your card within 5 working days of us receiving the lamp.' },
      { user: 'Do I have to pay for the return shipping?', answer: 'No, returns of faulty items are free. The label in the email is prepaid.' }),
    shop('refund', 'user_2210',
      { user: 'My Halo floor lamp arrived with a cracked ring. Order LL-20877. Can I get my money back?', tool: order('LL-20877', 'Halo floor lamp', 'delivered'),
        answer: 'I am sorry it arrived damaged. For order LL-20877 you can choose a full refund of €129.00 or a free replacement. Please reply with a photo of the crack and tell me which you prefer.' }),
    shop('refund', 'user_3317',
      { user: 'how long does a refund take? I sent back order LL-20702 a week ago', tool: order('LL-20702', 'Pebble table lamp', 'return_received', { refund: 'processing' }),
        answer: 'We received your return for LL-20702 on Monday and the refund of €59.00 is being processed. Card refunds show up within 3 to 5 working days.', fail: { status: 429, retry: true } }),
    shop('refund', 'user_1189',
      { user: 'I ordered two Glow night lights by mistake (LL-21002). Can I cancel one and get refunded?', tool: order('LL-21002', 'Glow night light x2', 'packing'),
        answer: 'Order LL-21002 has not shipped yet, so I cancelled one Glow night light. €19.00 goes back to your card in a few days; the other one ships tomorrow.' }),
    shop('refund', 'user_4410',
      { user: 'Refund please. The Drift lantern stopped charging after 3 weeks.', answer: 'Sorry to hear that. Could you give me your order number (it starts with LL-)? Then I can check the warranty and start the refund.' },
      { user: 'It is LL-20455', tool: order('LL-20455', 'Drift outdoor lantern', 'delivered', { warranty: '2 years' }),
        answer: 'Thanks. LL-20455 is under the 2-year warranty, so you get a full refund of €79.00 or a new lantern. I have emailed you a prepaid return label.' }),
    shop('refund', 'user_5120',
      { user: 'Is it possible to return a lamp I bought on sale? order LL-20390', tool: order('LL-20390', 'Arc pendant', 'delivered', { sale: true }),
        answer: 'Yes. Sale items can be returned within 30 days like any other item. LL-20390 is still eligible; the refund will be the sale price you paid, €79.20.' }),
    shop('refund', 'user_6021',
      { user: 'I returned the Beam desk lamp Pro but only got half the money back. Order LL-20118.', tool: order('LL-20118', 'Beam desk lamp Pro', 'refunded', { refunded_eur: 44.5 }),
        answer: 'I see a refund of €44.50 on LL-20118 because the lamp came back without its power adapter. If you still have the adapter, send it to us and we refund the remaining €44.50.' }),
    shop('refund', 'user_6188',
      { user: 'Can I get a refund instead of store credit for order LL-20611?', tool: order('LL-20611', 'Nook reading light', 'store_credit_issued'),
        answer: 'Of course. I have converted the €35.00 store credit for LL-20611 into a refund to your original payment method; it arrives within 5 working days.' }),
  ],
  shipping: [
    shop('shipping', 'user_1301',
      { user: 'Where is my parcel? Order LL-21040 was supposed to arrive yesterday.', tool: parcel('LL-21040', 'in_transit', '2026-12-02'),
        answer: 'Your parcel LL-21040 is with DHL and running a day late; the new delivery estimate is Wednesday 2 December. You can follow it with the tracking link in your shipping email.' }),
    shop('shipping', 'user_2277',
      { user: 'Do you ship to Switzerland?', answer: 'Yes, we ship to Switzerland. Delivery takes 4 to 6 working days and costs €14.90; import VAT is collected by the carrier on delivery.' }),
    shop('shipping', 'user_3345',
      { user: 'How much is shipping to Vienna and how long does it take?', answer: 'Shipping to Austria is €4.90 and free over €80. Parcels usually arrive in 2 to 3 working days.' }),
    shop('shipping', 'user_4199',
      { user: 'can I change the delivery address for LL-21077? I am moving', tool: parcel('LL-21077', 'label_created', '2026-12-03'),
        answer: 'LL-21077 has not left our warehouse yet, so the address can still be changed. Please send me the new address and I will update the shipping label.', fail: { status: 500, retry: false } }),
    shop('shipping', 'user_5233',
      { user: 'The tracking for LL-20990 says delivered but I have nothing.', tool: parcel('LL-20990', 'delivered', '2026-11-27'),
        answer: 'DHL marked LL-20990 as delivered on 27 November, left with a neighbour. Please check with your neighbours first; if it does not turn up within 48 hours, I will open a claim and send a replacement.' }),
    shop('shipping', 'user_6344',
      { user: 'Do you offer express delivery? I need a lamp by Friday', answer: 'Yes: express delivery within Germany costs €9.90 and arrives next working day if you order before 14:00.' },
      { user: 'And to Hamburg too?', answer: 'Yes, Hamburg is covered by express delivery. Order before 14:00 on Thursday and it arrives Friday.' }),
    shop('shipping', 'user_7002',
      { user: 'My order LL-21111 shows no tracking number after 4 days, is it lost?', tool: parcel('LL-21111', 'awaiting_pickup', '2026-12-04'),
        answer: 'It is not lost: LL-21111 is packed and waiting for the DHL pickup, which was delayed by the storm. The tracking number appears once DHL scans it, expected Friday 4 December.' }),
    shop('shipping', 'user_7115',
      { user: 'Which carrier do you use for the Netherlands?', answer: 'Parcels to the Netherlands go with DHL and PostNL for the last mile. Delivery takes 2 to 4 working days.' }),
  ],
  product_search: [
    shop('product_search', 'user_1420',
      { user: 'I need a lamp for my home office, something that does not glare on the monitor.', tool: search('desk monitor', ['Beam desk lamp Pro', 89], ['Aurora desk lamp', 49]),
        answer: 'For a monitor desk I recommend the Beam desk lamp Pro (€89): its wide asymmetric beam avoids screen glare and it dims automatically. On a budget, the Aurora desk lamp (€49) with a warm LED works well too.' }),
    shop('product_search', 'user_2501',
      { user: 'Do you have a solar lamp for the garden?', tool: search('outdoor solar', ['Drift outdoor lantern', 79]),
        answer: 'Yes, the Drift outdoor lantern (€79) is solar powered, waterproof (IP65) and runs 12 hours on a full charge.' }),
    shop('product_search', 'user_3622',
      { user: 'What is a good night light for a 3 year old?', tool: search('kids night', ['Glow night light', 19]),
        answer: 'The Glow night light (€19) is made for kids: soft colour-changing light, a sleep timer and no hot parts. It is rechargeable, so no cable near the bed.' }),
    shop('product_search', 'user_4733',
      { user: 'Looking for a big floor lamp for the living room under 150 euros', tool: search('floor living room', ['Halo floor lamp', 129]),
        answer: 'The Halo floor lamp (€129) fits: a ring light with three colour temperatures, tall enough to light a whole living room.' },
      { user: 'Does it come in black?', answer: 'The Halo comes in matte black and sand. Black is in stock and ships in 2 days.' }),
    shop('product_search', 'user_5844',
      { user: 'Which pendant lamp would suit a kitchen island?', tool: search('pendant kitchen', ['Arc pendant', 99]),
        answer: 'The Arc pendant (€99) is a good match for a kitchen island: brushed brass, a 2 m adjustable cable, and two or three of them side by side look great.' }),
    shop('product_search', 'user_6955',
      { user: 'compare the Pebble table lamp and the Aurora desk lamp for a bedside table', tool: search('bedside table', ['Pebble table lamp', 59], ['Aurora desk lamp', 49]),
        answer: 'For a bedside table the Pebble table lamp (€59) gives a soft, diffuse light through its linen shade. The Aurora (€49) is brighter and adjustable, better for reading at a desk than for relaxing.' }),
    shop('product_search', 'user_7066',
      { user: 'Is there a dimmable lamp that works with warm white only?', tool: search('dimmable warm', ['Nook reading light', 35], ['Pebble table lamp', 59]),
        answer: 'Both the Nook reading light (€35) and the Pebble table lamp (€59) are dimmable and use warm white (2700 K) only.' }),
    shop('product_search', 'user_7177',
      { user: 'Gift idea under 40 euros for someone who reads a lot?', tool: search('reading gift', ['Nook reading light', 35]),
        answer: 'The Nook reading light (€35) is a lovely gift for a reader: it clips onto a book or headboard and its soft beam will not wake a partner.' }),
  ],
  code_help: [
    dev('dev_anna',
      { user: 'How do I debounce the search input on the shop page in plain JavaScript?',
        answer: 'Wrap the handler in a small debounce:\n\nfunction debounce(fn, ms) {\n  let t;\n  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };\n}\n\nsearch.addEventListener("input", debounce((e) => renderProducts(e.target.value), 200));' }),
    dev('dev_ben',
      { user: 'Our checkout endpoint returns 500 when the basket has an unknown product id. What is the right status code?', tool: docs('api errors', 'Client errors use 4xx: 400 for malformed bodies, 422 for valid JSON with invalid content.'),
        answer: 'An unknown product id is a client error, so return 422 Unprocessable Entity with a JSON body like {"error":"unknown_product","id":"..."}; keep 500 for real server failures. Our API guidelines say the same.' }),
    dev('dev_chen',
      { user: 'TypeError: Cannot read properties of undefined (reading \'rating\') in showReviews. How do I guard it?',
        answer: 'REVIEWS[id] is undefined for products without reviews. Guard it:\n\nconst r = REVIEWS[id];\nif (!r) { btn.textContent = "No reviews yet"; return; }\n\nor use optional chaining: r?.rating.' }),
    dev('dev_anna',
      { user: 'Write a PostgreSQL query for the 10 best-selling lamps last month', tool: docs('orders schema', 'order_lines(order_id, product_id, qty), orders(id, created_at)'),
        answer: "SELECT ol.product_id, SUM(ol.qty) AS sold\nFROM order_lines ol JOIN orders o ON o.id = ol.order_id\nWHERE o.created_at >= date_trunc('month', now()) - interval '1 month'\n  AND o.created_at < date_trunc('month', now())\nGROUP BY ol.product_id ORDER BY sold DESC LIMIT 10;" }),
    dev('dev_ben',
      { user: 'How can I retry fetch calls with exponential backoff in Node 20?',
        answer: 'A small loop is enough:\n\nasync function fetchRetry(url, opts, tries = 4) {\n  for (let i = 0; ; i++) {\n    const res = await fetch(url, opts);\n    if (res.status < 500 || i === tries - 1) return res;\n    await new Promise((r) => setTimeout(r, 2 ** i * 250));\n  }\n}' },
      { user: 'Should I retry on 429 too?', answer: 'Yes, retry on 429, but honour the Retry-After header when it is present instead of your own backoff.' }),
    dev('dev_dana',
      { user: 'Jest says "Cannot use import statement outside a module" in our Node tests. Fix?',
        answer: 'Your package uses ESM. Either switch the tests to vitest, which understands ESM natively, or run Jest with NODE_OPTIONS=--experimental-vm-modules and set "transform": {} in the Jest config.' }),
    dev('dev_chen',
      { user: 'How do I lazy-load the product images so the shop page loads faster?',
        answer: 'Use the native attribute: <img src="..." loading="lazy" width="240" height="120">. Setting width and height avoids layout shift while the image loads.' }),
    dev('dev_dana',
      { user: 'What is the cleanest way to format euro prices in JavaScript?', tool: docs('i18n prices', 'Use Intl.NumberFormat; never concatenate currency symbols.'),
        answer: "new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(49) gives \"49,00 €\"; use the customer's locale instead of 'de-DE' where you know it.", fail: { status: 500, retry: true } }),
  ],
}

/** The questions typed into the demo shop's "Ask AI" box; the demo server answers them through the same SDKs. */
export const DEMO_QUESTIONS: Record<string, Turn & { topic: Topic }> = {
  reading: {
    topic: 'product_search',
    user: 'Which lamp is best for reading in bed?',
    tool: search('reading bed', ['Nook reading light', 35], ['Pebble table lamp', 59]),
    answer: 'For reading in bed, the Nook reading light (€35) is the best pick: it clips onto the headboard and its narrow warm beam will not disturb anyone next to you.',
  },
  shipping: {
    topic: 'shipping',
    user: 'How long does shipping to Berlin take?',
    answer: 'Shipping within Germany takes 1 to 2 working days with DHL and is free over €80. Berlin orders placed before 14:00 usually arrive the next day.',
  },
  charged: {
    topic: 'refund',
    user: 'My order failed with an error. Was I charged?',
    tool: { name: 'check_payment_status', args: { session: 'current' }, result: { charged: false, authorisation: 'voided' } },
    answer: 'No, you were not charged: the payment authorisation was voided when the order failed. Sorry about the error! You can try again in a few minutes, or I can pass your basket to our support team.',
  },
}
