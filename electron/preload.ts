// The renderer's only door to the main process: one invoke, one event subscription, and the path
// of a dropped file. Everything crossing it is validated again on the other side.
import { contextBridge, ipcRenderer, webUtils } from 'electron'

const EVENTS = new Set(['job', 'changed', 'navigate'])

contextBridge.exposeInMainWorld('sightline', {
  invoke: (channel: string, req: unknown) => ipcRenderer.invoke('api', channel, req),
  on: (event: string, cb: (data: unknown) => void) => {
    if (!EVENTS.has(event)) throw new Error(`Unknown event ${event}`)
    // Strip the IPC event: it carries `sender`, which the page must never see.
    const listener = (_e: Electron.IpcRendererEvent, data: unknown) => cb(data)
    ipcRenderer.on(`event:${event}`, listener)
    return () => ipcRenderer.removeListener(`event:${event}`, listener)
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
})
