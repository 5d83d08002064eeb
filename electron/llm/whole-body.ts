// Model answers are read whole inside the request (and so inside its deadline), and checked before
// the SDK sees them: a body cut off mid-way and a body that is not JSON are told apart, and both
// are retried (retry.ts) instead of surfacing as "connection error" or a crash in the SDK's parser.

export class BodyCutOffError extends Error {
  constructor(
    readonly received: number,
    readonly expected: number | null,
  ) {
    super(`the answer was cut off after ${received} bytes${expected !== null ? ` of ${expected}` : ''} (the connection closed mid-body)`)
    this.name = 'BodyCutOffError'
  }
}

export class InvalidBodyError extends Error {
  constructor(readonly head: string) {
    super(`the answer was not valid JSON (it begins ${JSON.stringify(head)})`)
    this.name = 'InvalidBodyError'
  }
}

/** `inner`, with every response body read to the end (and a JSON one parsed) before it is returned. */
export function wholeBodyFetch(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init)
    if (!res.body) return res
    // content-length counts encoded bytes; with an encoding it cannot be compared to what is read.
    const length = res.headers.get('content-encoding') ? null : res.headers.get('content-length')
    const chunks: Uint8Array[] = []
    let received = 0
    const reader = res.body.getReader()
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        chunks.push(value)
        received += value.byteLength
      }
    } catch (e) {
      if (init?.signal?.aborted) throw e
      throw new BodyCutOffError(received, length !== null ? Number(length) : null)
    }
    const bytes = Buffer.concat(chunks)
    if (res.ok && /json/i.test(res.headers.get('content-type') ?? '')) {
      const text = bytes.toString('utf8')
      try {
        JSON.parse(text)
      } catch {
        throw new InvalidBodyError(text.slice(0, 40))
      }
    }
    const headers = new Headers(res.headers)
    headers.delete('content-encoding')
    headers.delete('content-length')
    return new Response(bytes, { status: res.status, statusText: res.statusText, headers })
  }
}
