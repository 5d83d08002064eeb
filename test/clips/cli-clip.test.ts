// `sightline clip` end to end: the real command in a child process writes a .webm whose frames and
// duration ffprobe confirms, prints DESIGN.md's JSON, records the clip, follows the active window
// of a two-tab session (or the one given with --window), and names what is wrong in one line.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openStore } from '../../electron/store'
import { sharedSamples, sightlineCli, tempDir } from '../helpers'

const tmp = tempDir('sightline-cli-clip-')
const db = path.join(tmp.dir, 'clip.db')
afterAll(() => tmp.cleanup())
const sightline = sightlineCli(db)

describe('sightline clip', () => {
  it('renders a two-tab session, following the active tab, and says what is wrong', async () => {
    expect((await sightline(['import', path.join(sharedSamples, 'sessions/S4-two-tabs.posthog-export.json.gz'), '--json'])).code).toBe(0)
    const [s] = JSON.parse((await sightline(['sessions', '--json'])).stdout) as { id: string; start_ms: number; duration_ms: number }[]
    const out = path.join(tmp.dir, 'two-tabs.webm')
    // The whole session at 2 fps: both tabs are shown, each while it is the active one.
    const r = await sightline(['clip', s!.id, '--at', String(s!.start_ms), '--before', '0', '--after', String(s!.duration_ms), '--fps', '2', '--width', '640', '--out', out, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const j = JSON.parse(r.stdout) as Record<string, unknown>
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['file', 'start_ms', 'end_ms', 'frames', 'fps', 'bytes', 'wall_ms']))
    expect(j).toMatchObject({ file: out, start_ms: s!.start_ms, fps: 2, windows: ['1', '2'] })
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames,width,height', '-of', 'json', out], { encoding: 'utf8' })) as { streams: { nb_read_frames: string; width: number }[] }
    expect(Number(probe.streams[0]!.nb_read_frames)).toBe(j.frames)
    expect(probe.streams[0]!.width).toBe(640)
    // Recorded in the store with what it shows.
    const store = openStore(db)
    try {
      expect(store.clips.get(j.clip_id as number)).toMatchObject({ session_id: s!.id, file: out, frames: j.frames })
    } finally {
      store.close()
    }
    // --window: one tab throughout; +SECONDS from the start.
    const w = await sightline(['clip', s!.id, '--at', '+1', '--window', '2', '--fps', '1', '--out', path.join(tmp.dir, 'tab2.webm'), '--json'])
    expect(w.code, w.stderr).toBe(0)
    expect(JSON.parse(w.stdout)).toMatchObject({ windows: ['2'], start_ms: s!.start_ms })
    const bad = await sightline(['clip', s!.id, '--at', '+1', '--window', 'nope'])
    expect(bad.code).toBe(1)
    expect(bad.stderr.trim()).toBe('error: the session has no window nope (it has 1, 2)')
    expect((await sightline(['clip', s!.id, '--at', 'soon'])).code).toBe(2)
    expect((await sightline(['clip', 'no-such-session', '--at', '+1'])).stderr).toContain('no-such-session')
  }, 300_000)
})
