// The hardware path: WebGL2 point sprites. Positions and per-point style are uploaded once per
// change; a pan or zoom only sets uniforms, so a frame costs one draw per state.
import { State, type Renderer, type Style } from './style'

const VS = `#version 300 es
in float a_x;
in float a_y;
in vec3 a_style; // palette index, size factor (64 = base), state
uniform vec2 u_center;
uniform vec2 u_scale;   // clip units per data unit
uniform float u_radius; // base radius, device px
uniform float u_pass;
uniform float u_ring;   // ring width, device px (marked points)
uniform sampler2D u_palette;
uniform vec4 u_bg;
out vec4 v_color;
out float v_inner;
void main() {
  if (a_style.z != u_pass) { gl_Position = vec4(2.0, 2.0, 2.0, 1.0); gl_PointSize = 0.0; return; }
  gl_Position = vec4((a_x - u_center.x) * u_scale.x, (a_y - u_center.y) * u_scale.y, 0.0, 1.0);
  float r = max(0.5, u_radius * a_style.y / 64.0);
  vec4 c = texelFetch(u_palette, ivec2(int(a_style.x), 0), 0);
  v_color = u_pass == 1.0 ? mix(u_bg, c, 0.25) : c;
  float outer = r + u_ring;
  v_inner = r / outer;
  gl_PointSize = 2.0 * outer;
}`

const FS = `#version 300 es
precision mediump float;
in vec4 v_color;
in float v_inner;
uniform vec4 u_ringColor;
out vec4 color;
void main() {
  float d = length(gl_PointCoord - 0.5) * 2.0;
  if (d > 1.0) discard;
  color = d > v_inner ? u_ringColor : vec4(v_color.rgb, 1.0);
}`

function compile(gl: WebGL2RenderingContext, type: number, src: string): WebGLShader {
  const s = gl.createShader(type)!
  gl.shaderSource(s, src)
  gl.compileShader(s)
  if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(`scatter shader: ${gl.getShaderInfoLog(s)}`)
  return s
}

export class WebglRenderer implements Renderer {
  readonly kind = 'webgl' as const
  private readonly gl: WebGL2RenderingContext
  private readonly prog: WebGLProgram
  private readonly bufX: WebGLBuffer
  private readonly bufY: WebGLBuffer
  private readonly bufStyle: WebGLBuffer
  private readonly palette: WebGLTexture
  private readonly vao: WebGLVertexArrayObject
  private n = 0
  private style: Style | null = null
  private readonly u: Record<string, WebGLUniformLocation | null> = {}

  constructor(private readonly canvas: HTMLCanvasElement) {
    const gl = canvas.getContext('webgl2', { antialias: false, alpha: false, preserveDrawingBuffer: true })
    if (!gl) throw new Error('scatter: WebGL2 is not available')
    this.gl = gl
    const prog = gl.createProgram()
    gl.attachShader(prog, compile(gl, gl.VERTEX_SHADER, VS))
    gl.attachShader(prog, compile(gl, gl.FRAGMENT_SHADER, FS))
    gl.linkProgram(prog)
    if (!gl.getProgramParameter(prog, gl.LINK_STATUS)) throw new Error(`scatter program: ${gl.getProgramInfoLog(prog)}`)
    this.prog = prog
    for (const name of ['u_center', 'u_scale', 'u_radius', 'u_pass', 'u_ring', 'u_palette', 'u_bg', 'u_ringColor']) this.u[name] = gl.getUniformLocation(prog, name)
    this.vao = gl.createVertexArray()
    gl.bindVertexArray(this.vao)
    const attr = (name: string, size: number, type: number) => {
      const buf = gl.createBuffer()
      const loc = gl.getAttribLocation(prog, name)
      gl.bindBuffer(gl.ARRAY_BUFFER, buf)
      gl.enableVertexAttribArray(loc)
      gl.vertexAttribPointer(loc, size, type, false, 0, 0)
      return buf
    }
    this.bufX = attr('a_x', 1, gl.FLOAT)
    this.bufY = attr('a_y', 1, gl.FLOAT)
    this.bufStyle = attr('a_style', 3, gl.UNSIGNED_BYTE)
    this.palette = gl.createTexture()
    gl.bindTexture(gl.TEXTURE_2D, this.palette)
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST)
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST)
  }

  setPoints(x: Float32Array, y: Float32Array) {
    const gl = this.gl
    this.n = x.length
    gl.bindBuffer(gl.ARRAY_BUFFER, this.bufX)
    gl.bufferData(gl.ARRAY_BUFFER, x, gl.STATIC_DRAW)
    gl.bindBuffer(gl.ARRAY_BUFFER, this.bufY)
    gl.bufferData(gl.ARRAY_BUFFER, y, gl.STATIC_DRAW)
  }

  setStyle(style: Style) {
    const gl = this.gl
    this.style = style
    const n = style.state.length
    const packed = new Uint8Array(n * 3)
    for (let i = 0; i < n; i++) {
      packed[3 * i] = style.color[i]!
      packed[3 * i + 1] = style.size[i]!
      packed[3 * i + 2] = style.state[i]!
    }
    gl.bindBuffer(gl.ARRAY_BUFFER, this.bufStyle)
    gl.bufferData(gl.ARRAY_BUFFER, packed, gl.DYNAMIC_DRAW)
    gl.bindTexture(gl.TEXTURE_2D, this.palette)
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, 256, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, style.palette)
  }

  draw(view: { cx: number; cy: number; scale: number }, css: { width: number; height: number }, dpr: number, radius: number) {
    const gl = this.gl
    const W = Math.max(1, Math.round(css.width * dpr)), H = Math.max(1, Math.round(css.height * dpr))
    if (this.canvas.width !== W || this.canvas.height !== H) {
      this.canvas.width = W
      this.canvas.height = H
    }
    gl.viewport(0, 0, W, H)
    const s = this.style
    const bg = s?.background ?? [255, 255, 255, 255]
    gl.clearColor(bg[0] / 255, bg[1] / 255, bg[2] / 255, 1)
    gl.clear(gl.COLOR_BUFFER_BIT)
    if (!s || this.n === 0) return
    gl.useProgram(this.prog)
    gl.bindVertexArray(this.vao)
    gl.activeTexture(gl.TEXTURE0)
    gl.bindTexture(gl.TEXTURE_2D, this.palette)
    gl.uniform1i(this.u.u_palette!, 0)
    gl.uniform2f(this.u.u_center!, view.cx, view.cy)
    gl.uniform2f(this.u.u_scale!, (2 * view.scale) / css.width, (2 * view.scale) / css.height)
    gl.uniform1f(this.u.u_radius!, radius * dpr)
    gl.uniform4f(this.u.u_bg!, bg[0] / 255, bg[1] / 255, bg[2] / 255, 1)
    gl.uniform4f(this.u.u_ringColor!, s.ring[0] / 255, s.ring[1] / 255, s.ring[2] / 255, 1)
    for (const pass of [State.Dim, State.Normal, State.Marked]) {
      gl.uniform1f(this.u.u_pass!, pass)
      gl.uniform1f(this.u.u_ring!, pass === State.Marked ? Math.max(1, Math.round(dpr)) : 0)
      gl.drawArrays(gl.POINTS, 0, this.n)
    }
  }

  destroy() {
    this.gl.getExtension('WEBGL_lose_context')?.loseContext()
  }
}
