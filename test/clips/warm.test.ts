// Warming the frame source ahead of a first clip: the pages asked for are opened and handed back to
// the source (warm for the clip that comes), a page that cannot open does not keep the others.
// (Its ffmpeg started ahead: test/clips/decor.test.ts.)
import { afterEach, describe, expect, it } from 'vitest'
import type { FramePage, FrameSource } from '../../electron/clips/frames'
import { closeFrameSource, useFrameSource, warmFrameSource } from '../../electron/clips/warm'
import { ChromiumFrames } from '../../electron/clips/frames-chromium'

function recordingSource(failWidth?: number) {
  const log: string[] = []
  const source: FrameSource = {
    async page(size) {
      if (size.width === failWidth) throw new Error(`cannot open ${size.width}`)
      log.push(`open ${size.width}x${size.height}`)
      const page: FramePage = {
        load: () => Promise.reject(new Error('not a clip')),
        seek: () => Promise.resolve(),
        capture: () => Promise.resolve(Buffer.alloc(0)),
        release: () => void log.push(`release ${size.width}x${size.height}`),
        close: () => Promise.resolve(),
      }
      return page
    },
    close: async () => void log.push('close'),
  }
  return { log, source }
}

afterEach(async () => {
  await closeFrameSource()
  useFrameSource(() => ChromiumFrames.launch())
})

describe('warmFrameSource', () => {
  it('opens the pages each clip draws with (two per clip) and gives every one back to the source', async () => {
    const { log, source } = recordingSource()
    useFrameSource(async () => source)
    await warmFrameSource([{ width: 960, height: 540, fps: 10 }, { width: 768, height: 432, fps: 1 }])
    expect(log.filter((l) => l.startsWith('open')).sort()).toEqual(['open 768x432', 'open 768x432', 'open 960x540', 'open 960x540'])
    expect(log.filter((l) => l.startsWith('release')).sort()).toEqual(['release 768x432', 'release 768x432', 'release 960x540', 'release 960x540'])
    expect(log).not.toContain('close') // kept warm
  })

  it('a page that cannot open leaves the others warm', async () => {
    const { log, source } = recordingSource(768)
    useFrameSource(async () => source)
    await warmFrameSource([{ width: 960, height: 540, fps: 1 }, { width: 768, height: 432, fps: 1 }])
    expect(log).toEqual(['open 960x540', 'open 960x540', 'release 960x540', 'release 960x540'])
  })
})
