// The scatter: one canvas, one camera and one set of interactions (pan, zoom at the cursor,
// hover, click, lasso) over either renderer. Interactions work in data coordinates against a
// grid index, so they behave the same whichever renderer draws.
import { CpuRenderer } from './cpu'
import { detectRenderer, type RendererKind } from './detect'
import { Grid } from './grid'
import { baseRadius, State, type Renderer, type Style } from './style'
import { boundsOf, fit, pan, toDataX, toDataY, zoomAt, type View } from './view'
import { WebglRenderer } from './webgl'

export interface ScatterEvents {
  /** The point under the cursor (-1: none) and where the cursor is, in client px. */
  onHover?(index: number, clientX: number, clientY: number): void
  /** A click on a point (-1: on empty space). */
  onClick?(index: number, additive: boolean): void
  /** The points inside a drawn lasso (hidden points never; sorted indices). */
  onLasso?(indices: Uint32Array, additive: boolean): void
}

export type Mode = 'pan' | 'lasso'

const HOVER_PX = 8
const CLICK_SLOP_PX = 4

export class Scatter {
  readonly canvas: HTMLCanvasElement
  readonly renderer: Renderer
  readonly reason: string
  private readonly overlay: HTMLCanvasElement
  private x: Float32Array = new Float32Array(0)
  private y: Float32Array = new Float32Array(0)
  private grid: Grid | null = null
  private style: Style | null = null
  private view: View = { cx: 0, cy: 0, scale: 1 }
  private size = { width: 1, height: 1 }
  private frame = 0
  // Hover is picked once per frame at the newest cursor position (pointer events can come
  // several times a frame; each pick and each listener call is work the draw waits for).
  private hoverFrame = 0
  private hoverX = 0
  private hoverY = 0
  private hovered = -1
  private mode: Mode = 'pan'
  private drag: { x: number; y: number; moved: boolean; lasso: number[] | null; id: number; additive: boolean } | null = null
  private readonly resize: ResizeObserver
  private readonly off: (() => void)[] = []
  /** Milliseconds the last draw took (the bench reads it). */
  lastDrawMs = 0

  constructor(
    private readonly host: HTMLElement,
    private readonly events: ScatterEvents = {},
    force?: RendererKind | null,
  ) {
    const detected = detectRenderer(force)
    this.canvas = document.createElement('canvas')
    this.canvas.className = 'scatter-canvas'
    this.overlay = document.createElement('canvas')
    this.overlay.className = 'scatter-overlay'
    host.append(this.canvas, this.overlay)
    let renderer: Renderer
    let reason = detected.reason
    try {
      renderer = detected.kind === 'webgl' ? new WebglRenderer(this.canvas) : new CpuRenderer(this.canvas)
    } catch (e) {
      reason = `WebGL failed (${(e as Error).message})`
      this.canvas.remove()
      this.canvas = document.createElement('canvas')
      this.canvas.className = 'scatter-canvas'
      host.prepend(this.canvas)
      renderer = new CpuRenderer(this.canvas)
    }
    this.renderer = renderer
    this.reason = reason
    this.canvas.dataset.renderer = renderer.kind
    this.measure()
    this.resize = new ResizeObserver(() => {
      this.measure()
      this.drawNow()
    })
    this.resize.observe(host)
    this.listen()
  }

  private measure() {
    const r = this.host.getBoundingClientRect()
    this.size = { width: Math.max(1, r.width), height: Math.max(1, r.height) }
  }

  get dpr() {
    return Math.min(2, window.devicePixelRatio || 1)
  }

  setPoints(x: Float32Array, y: Float32Array) {
    this.x = x
    this.y = y
    const b = boundsOf(x, y)
    this.grid = new Grid(x, y, b)
    this.renderer.setPoints(x, y, this.grid)
    this.view = fit(b, this.size)
  }

  setStyle(style: Style) {
    this.style = style
    this.renderer.setStyle(style)
    this.request()
  }

  setMode(mode: Mode) {
    this.mode = mode
    this.host.dataset.mode = mode
  }

  getView(): View {
    return { ...this.view }
  }

  setView(v: View) {
    this.view = v
    this.request()
  }

  /** Shows every point. */
  fit() {
    if (this.x.length) this.view = fit(boundsOf(this.x, this.y), this.size)
    this.request()
  }

  /** Centres the view on a point (a linked selection), zoomed in if it was far out. */
  focus(i: number) {
    if (i < 0 || i >= this.x.length) return
    // Already well in view: leave the map where it is (moving it loses the reader's bearings).
    const sx = (this.x[i]! - this.view.cx) * this.view.scale + this.size.width / 2
    const sy = this.size.height / 2 - (this.y[i]! - this.view.cy) * this.view.scale
    const inside = sx > this.size.width * 0.1 && sx < this.size.width * 0.9 && sy > this.size.height * 0.1 && sy < this.size.height * 0.9
    if (!inside) this.view = { cx: this.x[i]!, cy: this.y[i]!, scale: this.view.scale }
    this.request()
  }

  /** Draws now; returns the milliseconds it took (putImageData / draw calls included). */
  drawNow(): number {
    cancelAnimationFrame(this.frame)
    this.frame = 0
    const t0 = performance.now()
    this.renderer.draw(this.view, this.size, this.dpr, this.radius())
    this.lastDrawMs = performance.now() - t0
    return this.lastDrawMs
  }

  /** A point's position on screen, client px (tests hover it). */
  clientPoint(i: number): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect()
    return { x: r.left + (this.x[i]! - this.view.cx) * this.view.scale + this.size.width / 2, y: r.top + this.size.height / 2 - (this.y[i]! - this.view.cy) * this.view.scale }
  }

  private radius() {
    const zoom = this.grid ? this.view.scale / fit(this.grid.b, this.size).scale : 1
    // Points grow a little as one zooms in, so dense regions open up.
    return baseRadius(this.x.length, this.size.width, this.size.height) * Math.min(3, Math.max(1, Math.sqrt(zoom)))
  }

  private request() {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.drawNow()
    })
  }

  private visible = (i: number) => (this.style ? this.style.state[i]! !== State.Hidden : true)

  private at(e: PointerEvent | WheelEvent) {
    const r = this.canvas.getBoundingClientRect()
    return { px: e.clientX - r.left, py: e.clientY - r.top }
  }

  /** The point under client (x, y), or -1. */
  pick(clientX: number, clientY: number): number {
    if (!this.grid) return -1
    const r = this.canvas.getBoundingClientRect()
    const px = clientX - r.left, py = clientY - r.top
    const radius = Math.max(HOVER_PX, this.radius() + 2) / this.view.scale
    return this.grid.nearest(toDataX(this.view, this.size, px), toDataY(this.view, this.size, py), radius, this.visible)
  }

  private listen() {
    const c = this.overlay
    const on = <K extends keyof HTMLElementEventMap>(type: K, fn: (e: HTMLElementEventMap[K]) => void, opts?: AddEventListenerOptions) => {
      c.addEventListener(type, fn as EventListener, opts)
      this.off.push(() => c.removeEventListener(type, fn as EventListener))
    }
    on('pointerdown', (e) => {
      if (e.button !== 0) return
      c.setPointerCapture(e.pointerId)
      const lasso = this.mode === 'lasso' || e.shiftKey
      this.drag = { x: e.clientX, y: e.clientY, moved: false, lasso: lasso ? [] : null, id: e.pointerId, additive: e.shiftKey && this.mode === 'lasso' }
      if (lasso) {
        const { px, py } = this.at(e)
        this.drag.lasso!.push(px, py)
      }
      this.hovered = -1
      this.events.onHover?.(-1, 0, 0)
    })
    on('pointermove', (e) => {
      const d = this.drag
      if (!d) {
        this.hoverX = e.clientX
        this.hoverY = e.clientY
        this.hoverFrame ||= requestAnimationFrame(() => {
          this.hoverFrame = 0
          if (this.drag) return
          const i = this.pick(this.hoverX, this.hoverY)
          if (i !== this.hovered) c.style.cursor = i >= 0 ? 'pointer' : this.mode === 'lasso' ? 'crosshair' : 'grab'
          this.hovered = i
          this.events.onHover?.(i, this.hoverX, this.hoverY)
        })
        return
      }
      if (Math.hypot(e.clientX - d.x, e.clientY - d.y) > CLICK_SLOP_PX) d.moved = true
      if (d.lasso) {
        const { px, py } = this.at(e)
        d.lasso.push(px, py)
        this.drawLasso(d.lasso)
      } else if (d.moved) {
        c.style.cursor = 'grabbing'
        this.view = pan(this.view, e.movementX || 0, e.movementY || 0)
        this.request()
      }
    })
    on('pointerup', (e) => {
      const d = this.drag
      this.drag = null
      if (!d) return
      if (d.lasso && d.moved && this.grid) {
        const poly: number[] = []
        for (let k = 0; k < d.lasso.length; k += 2) poly.push(toDataX(this.view, this.size, d.lasso[k]!), toDataY(this.view, this.size, d.lasso[k + 1]!))
        this.drawLasso(null)
        this.events.onLasso?.(this.grid.inside(poly, this.visible), e.shiftKey)
        return
      }
      this.drawLasso(null)
      if (!d.moved) this.events.onClick?.(this.pick(e.clientX, e.clientY), e.shiftKey || e.metaKey || e.ctrlKey)
    })
    on('pointerleave', () => {
      if (this.drag) return
      cancelAnimationFrame(this.hoverFrame)
      this.hoverFrame = 0
      this.hovered = -1
      this.events.onHover?.(-1, 0, 0)
    })
    on(
      'wheel',
      (e) => {
        e.preventDefault()
        const { px, py } = this.at(e)
        const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY
        this.view = zoomAt(this.view, this.size, px, py, Math.exp(-delta * 0.0015))
        this.request()
      },
      { passive: false },
    )
    on('dblclick', () => this.fit())
  }

  private drawLasso(points: number[] | null) {
    const o = this.overlay
    const dpr = this.dpr
    const W = Math.round(this.size.width * dpr), H = Math.round(this.size.height * dpr)
    if (o.width !== W || o.height !== H) {
      o.width = W
      o.height = H
    }
    const ctx = o.getContext('2d')!
    ctx.clearRect(0, 0, W, H)
    if (!points || points.length < 4) return
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
    ctx.beginPath()
    ctx.moveTo(points[0]!, points[1]!)
    for (let k = 2; k < points.length; k += 2) ctx.lineTo(points[k]!, points[k + 1]!)
    ctx.closePath()
    ctx.fillStyle = 'rgba(79, 91, 213, 0.12)'
    ctx.strokeStyle = 'rgba(79, 91, 213, 0.9)'
    ctx.lineWidth = 1.5
    ctx.setLineDash([5, 4])
    ctx.fill()
    ctx.stroke()
  }

  destroy() {
    cancelAnimationFrame(this.frame)
    cancelAnimationFrame(this.hoverFrame)
    this.resize.disconnect()
    this.off.forEach((f) => f())
    this.renderer.destroy()
    this.canvas.remove()
    this.overlay.remove()
  }
}
