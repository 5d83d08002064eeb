// Lumen Lamps demo shop. Deliberately has two bugs the recording must show:
//  - "Reviews" throws a TypeError (reviews are not loaded for most products);
//  - POST /api/checkout answers HTTP 500, and the page logs it with console.error.
'use strict';

var PRODUCTS = [
  { id: 'aurora-desk', name: 'Aurora desk lamp', price: 49, tags: 'desk office study', color: '#e0902a,#f5b942', desc: 'Adjustable arm, warm LED, USB-C.' },
  { id: 'nook-reading', name: 'Nook reading light', price: 35, tags: 'reading bed clip', color: '#5a7bb5,#9db4de', desc: 'Clip-on, dimmable, soft beam for bedtime reading.' },
  { id: 'halo-floor', name: 'Halo floor lamp', price: 129, tags: 'floor living room', color: '#7d5ba6,#b79ad8', desc: 'Ring light, 3 colour temperatures.' },
  { id: 'pebble-table', name: 'Pebble table lamp', price: 59, tags: 'table bedside', color: '#3f8f7a,#8fd1bd', desc: 'Ceramic base, linen shade.' },
  { id: 'drift-outdoor', name: 'Drift outdoor lantern', price: 79, tags: 'outdoor garden solar', color: '#2d3a5c,#6b7fae', desc: 'Solar, IP65, 12 h on one charge.' },
  { id: 'beam-desk-pro', name: 'Beam desk lamp Pro', price: 89, tags: 'desk office monitor', color: '#b0473a,#e2877b', desc: 'Wide beam, auto-dimming, memory.' },
  { id: 'glow-kids', name: 'Glow night light', price: 19, tags: 'kids night bedroom', color: '#c7a43a,#efd98c', desc: 'Colour changing, timer, rechargeable.' },
  { id: 'arc-pendant', name: 'Arc pendant', price: 99, tags: 'ceiling kitchen dining', color: '#555b66,#a3a9b5', desc: 'Brushed brass, 2 m cable.' }
];
// Only one product has reviews loaded; the others hit the bug below.
var REVIEWS = { 'halo-floor': { rating: 4.6, count: 128 } };

function $(id) { return document.getElementById(id); }

function basket() {
  try { return JSON.parse(localStorage.getItem('basket') || '[]'); } catch { return []; }
}
function saveBasket(items) {
  localStorage.setItem('basket', JSON.stringify(items));
  $('basket-count').textContent = String(items.length);
}
function euros(n) { return '€' + n.toFixed(2); }

function renderProducts(query) {
  var q = (query || '').trim().toLowerCase();
  var grid = $('products');
  grid.textContent = '';
  var shown = PRODUCTS.filter(function (p) {
    return !q || (p.name + ' ' + p.tags).toLowerCase().indexOf(q) >= 0;
  });
  shown.forEach(function (p) {
    var card = document.createElement('div');
    card.className = 'card';
    card.id = 'card-' + p.id;
    var c = p.color.split(',');
    card.innerHTML =
      '<div class="pic" style="background:linear-gradient(135deg,' + c[0] + ',' + c[1] + ')"></div>' +
      '<h3>' + p.name + '</h3><div class="desc">' + p.desc + '</div>' +
      '<div class="price">' + euros(p.price) + '</div>' +
      '<div class="row"><button class="add" data-id="' + p.id + '">Add to basket</button>' +
      '<button class="secondary reviews" data-id="' + p.id + '">Reviews</button></div>';
    grid.appendChild(card);
  });
  $('no-results').hidden = shown.length > 0;
  $('result-count').textContent = q ? shown.length + ' of ' + PRODUCTS.length + ' lamps' : '';
}

function initShop() {
  renderProducts('');
  $('search').addEventListener('input', function (e) { renderProducts(e.target.value); });
  $('products').addEventListener('click', function (e) {
    var btn = e.target.closest('button');
    if (!btn) return;
    var id = btn.getAttribute('data-id');
    if (btn.classList.contains('add')) {
      var items = basket();
      items.push(id);
      saveBasket(items);
      btn.textContent = 'Added ✓';
      setTimeout(function () { btn.textContent = 'Add to basket'; }, 1200);
    } else if (btn.classList.contains('reviews')) {
      showReviews(id, btn);
    }
  });
}

function showReviews(id, btn) {
  // BUG (on purpose): REVIEWS[id] is undefined for most products -> TypeError.
  var r = REVIEWS[id];
  btn.textContent = '★ ' + r.rating.toFixed(1) + ' (' + r.count + ')';
}

function initCheckout() {
  var items = basket();
  var lines = $('lines');
  var total = 0;
  items.forEach(function (id) {
    var p = PRODUCTS.find(function (x) { return x.id === id; });
    if (!p) return;
    total += p.price;
    var li = document.createElement('li');
    li.innerHTML = '<span>' + p.name + '</span><span>' + euros(p.price) + '</span>';
    lines.appendChild(li);
  });
  $('total').textContent = euros(total);
  $('place-order').addEventListener('click', function () {
    var alert = $('checkout-alert');
    alert.className = 'alert';
    alert.textContent = '';
    $('place-order').textContent = 'Placing order…';
    fetch('/api/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: items, total: total })
    }).then(function (res) {
      $('place-order').textContent = 'Place order';
      if (!res.ok) {
        console.error('POST /api/checkout failed: HTTP ' + res.status + ' ' + res.statusText);
        alert.className = 'alert error';
        alert.textContent = 'Sorry, something went wrong while placing your order (error ' + res.status + '). Please try again.';
        return;
      }
      alert.className = 'alert ok';
      alert.textContent = 'Thank you! Your order is confirmed.';
    });
  });
}

function initChat() {
  var chat = $('chat');
  $('chat-toggle').addEventListener('click', function () { chat.classList.toggle('open'); });
  $('chat-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = $('chat-input');
    var question = input.value.trim();
    if (!question) return;
    input.value = '';
    addMessage('user', question);
    var pending = addMessage('bot pending', 'Thinking…');
    fetch('/api/ai', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: question, page: document.body.dataset.page })
    }).then(function (res) { return res.json(); }).then(function (data) {
      pending.className = 'msg bot';
      pending.textContent = data.answer || 'Sorry, I could not answer that.';
      $('chat-log').scrollTop = $('chat-log').scrollHeight;
      console.log('[ai] answered in ' + data.latency_ms + ' ms');
    }).catch(function (err) {
      pending.className = 'msg bot';
      pending.textContent = 'Sorry, the assistant is unavailable.';
      console.error('[ai] request failed', err);
    });
  });
}

function addMessage(kind, text) {
  var div = document.createElement('div');
  div.className = 'msg ' + kind;
  div.textContent = text;
  $('chat-log').appendChild(div);
  $('chat-log').scrollTop = $('chat-log').scrollHeight;
  return div;
}

$('basket-count').textContent = String(basket().length);
if (document.body.dataset.page === 'shop') initShop();
if (document.body.dataset.page === 'checkout') initCheckout();
initChat();
console.log('Lumen Lamps ready (' + document.body.dataset.page + ')');
