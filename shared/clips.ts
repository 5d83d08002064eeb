// What a clip job answers (`sightline clip --json`, the renderer's clips:render job result).
export interface ClipJobResult {
  clip_id: number
  file: string
  start_ms: number
  end_ms: number
  frames: number
  fps: number
  bytes: number
  wall_ms: number
  width: number
  height: number
  window_ids: string[]
}
