// One Content-Security-Policy for the app window and web mode. No remote origin anywhere: a
// replayed page may reference remote images, fonts and scripts, and none of them may load.
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // rrweb's replayer and React style attributes need inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')
