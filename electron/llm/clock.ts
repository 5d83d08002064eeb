// The time model calls wait on (deadlines, retry backoff, the retry budget): electron/clock.ts.
export { realClock, type Clock } from '../clock'
