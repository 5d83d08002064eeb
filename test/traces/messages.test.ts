// Every message shape the instrumentations write becomes the same Message: a table of shapes.
import { describe, expect, it } from 'vitest'
import { normalizeMessages, normalizeTools } from '../../electron/import/traces/messages'
import type { Message } from '../../shared/trace-model'

const call = { type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }
const assistantCall: Message = { role: 'assistant', parts: [call as Message['parts'][number]] }

describe('normalizeMessages', () => {
  it.each([
    ['OpenAI tool_calls (arguments as a JSON string)', [{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }]],
    ['PostHog wrapper content part', [{ role: 'assistant', content: [{ type: 'function', id: 'c1', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }]],
    ['Anthropic tool_use block', [{ role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'get_weather', input: { city: 'Paris' } }] }]],
    ['Vercel AI SDK tool-call part', [{ role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'get_weather', input: { city: 'Paris' } }] }]],
    ['OTel GenAI parts', [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }] }]],
    ['Responses API function_call item', [{ type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' }]],
    ['an OpenAI choice', { choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] } }] }],
  ])('%s → one tool call', (_name, input) => {
    expect(normalizeMessages(input, 'assistant')).toEqual([assistantCall])
  })

  it.each([
    ['OpenAI role tool', [{ role: 'tool', tool_call_id: 'c1', content: '21C' }], { role: 'tool', tool_call_id: 'c1', parts: [{ type: 'text', text: '21C' }] }],
    ['Responses API output item', [{ type: 'function_call_output', call_id: 'c1', output: '21C' }], { role: 'tool', tool_call_id: 'c1', parts: [{ type: 'text', text: '21C' }] }],
    ['OTel tool_call_response part', [{ role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', result: '21C' }] }], { role: 'tool', tool_call_id: 'c1', parts: [{ type: 'tool_result', id: 'c1', name: null, content: '21C' }] }],
    ['Anthropic tool_result block', [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', content: [{ type: 'text', text: '21C' }] }] }], { role: 'user', parts: [{ type: 'tool_result', id: 'c1', name: null, content: '21C' }] }],
  ])('%s → the tool result', (_name, input, want) => {
    expect(normalizeMessages(input)).toEqual([want])
  })

  it('keeps text, images, audio, reasoning and unknown parts by kind, never inline data', () => {
    const [m] = normalizeMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,' + 'A'.repeat(5000) } },
          { type: 'input_audio', input_audio: { data: 'xyz', format: 'wav' } },
          { type: 'thinking', thinking: 'hmm' },
          { type: 'hologram', blob: 1 },
        ],
      },
    ])!
    expect(m!.parts).toEqual([
      { type: 'text', text: 'look' },
      { type: 'media', kind: 'image', ref: 'data:image/png (5022 chars)' },
      { type: 'media', kind: 'audio', ref: null },
      { type: 'reasoning', text: 'hmm' },
      { type: 'media', kind: 'hologram', ref: null },
    ])
  })

  it('a bare string is one message of the fallback role; null is none', () => {
    expect(normalizeMessages('hi')).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }])
    expect(normalizeMessages('done', 'assistant')).toEqual([{ role: 'assistant', parts: [{ type: 'text', text: 'done' }] }])
    expect(normalizeMessages(null)).toBeNull()
    // A JSON string holding messages (OTel attributes) is parsed.
    expect(normalizeMessages('[{"role":"system","content":"x"}]')).toEqual([{ role: 'system', parts: [{ type: 'text', text: 'x' }] }])
  })
})

describe('normalizeTools', () => {
  const want = [{ name: 'get_weather', description: 'Weather.', parameters: { type: 'object', properties: { city: { type: 'string' } } } }]
  const schema = want[0]!.parameters
  it.each([
    ['OpenAI', [{ type: 'function', function: { name: 'get_weather', description: 'Weather.', parameters: schema } }]],
    ['Anthropic', [{ name: 'get_weather', description: 'Weather.', input_schema: schema }]],
    ['Google', [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather.', parameters: schema }] }]],
    ['a name → definition map', { get_weather: { description: 'Weather.', parameters: schema } }],
    ['a JSON string', JSON.stringify([{ type: 'function', function: { name: 'get_weather', description: 'Weather.', parameters: schema } }])],
  ])('%s', (_name, input) => {
    expect(normalizeTools(input)).toEqual(want)
  })
})
