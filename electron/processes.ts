// Other processes of this machine, by id: whether one still runs (a job's or a server's owner).

/** Whether a process with this id is alive (EPERM: alive, someone else's). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}
