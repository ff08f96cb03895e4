/**
 * The content security policy and response headers of the kiosk's pages, the same in both shells
 * (the Chromium host sends them with every response; Electron adds them to every response of its
 * session). The renderer shows personal data on the done screen, so what it may load and where it
 * may send anything is pinned down: only its own origin, no inline or eval'd script, no frames, no
 * forms, and camera frames only as blob:/mediastream: media.
 */

export interface PolicyOptions {
  /** Where the page may connect besides its own origin (the Chromium host's WebSocket). */
  connect?: string[];
}

export function contentSecurityPolicy(options: PolicyOptions = {}): string {
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['media-src', ["'self'", 'blob:', 'mediastream:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...(options.connect ?? [])]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** Headers for every response the kiosk's pages get. */
export function securityHeaders(options: PolicyOptions = {}): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // Nothing the kiosk serves may linger in a cache on a shared machine.
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  };
}
