import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from '../../../src/shell/security-headers.ts';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name as string, sources];
    }),
  );
}

describe('content security policy and headers', () => {
  it('allows only the page’s own origin, camera media, and the host’s WebSocket', () => {
    const policy = directives(contentSecurityPolicy({ connect: ['ws://127.0.0.1:4123'] }));
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:4123']);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(policy.get('media-src')).toEqual(["'self'", 'blob:', 'mediastream:']);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-(eval|inline)|\*/);
  });

  it('connects nowhere but its own origin when no WebSocket is named (Electron)', () => {
    expect(directives(contentSecurityPolicy()).get('connect-src')).toEqual(["'self'"]);
  });

  it('sends no-sniff, no referrer, no caching and no framing with every response', () => {
    const headers = securityHeaders({ connect: ['ws://127.0.0.1:4123'] });
    expect(headers).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
    });
    expect(headers['Content-Security-Policy']).toContain('ws://127.0.0.1:4123');
    expect(headers['Permissions-Policy']).toContain('microphone=()');
  });
});
