// Which renderer to use: WebGL when the GPU is real hardware, the CPU path when WebGL is missing
// or only emulated in software (SwiftShader in headless Chromium, llvmpipe), where it pans at
// about 1 fps at a million points while the CPU path holds 60.

export type RendererKind = 'webgl' | 'cpu'

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render driver|mesa offscreen/i

export interface Detected {
  kind: RendererKind
  /** What the browser said its WebGL renderer is (or why there is none). */
  reason: string
}

export function detectRenderer(force?: RendererKind | null): Detected {
  const pinned = force ?? pinnedKind()
  if (pinned === 'webgl' || pinned === 'cpu') return { kind: pinned, reason: 'chosen' }
  // Asked once per page: starting a software GL context takes a while.
  return (detected ??= probe())
}

let detected: Detected | undefined

function probe(): Detected {
  const canvas = document.createElement('canvas')
  // failIfMajorPerformanceCaveat: Chromium refuses the context when it would be software only.
  const gl = canvas.getContext('webgl2', { failIfMajorPerformanceCaveat: true })
  if (!gl) return { kind: 'cpu', reason: 'no hardware WebGL2' }
  const info = gl.getExtension('WEBGL_debug_renderer_info')
  const name = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER))
  gl.getExtension('WEBGL_lose_context')?.loseContext()
  if (SOFTWARE.test(name)) return { kind: 'cpu', reason: `software WebGL (${name})` }
  return { kind: 'webgl', reason: name }
}

/** A renderer pinned by hand (localStorage 'sightline.scatter' = webgl | cpu), for comparing the two. */
function pinnedKind(): RendererKind | null {
  try {
    return localStorage.getItem('sightline.scatter') as RendererKind | null
  } catch {
    return null // an opaque origin has no storage
  }
}
