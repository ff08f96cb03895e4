import { baseView } from '@myna/devtools/preview/sample-views.js';
import { describe, expect, it } from 'vitest';
import type { MainMessage, RendererMessage, ViewState } from '../../../src/common/ui-protocol.ts';
import { createBridge } from '../../../src/preload/bridge-core.ts';
import { type TokenPage, takeFragmentToken } from '../../../src/preload/fragment-token.ts';
import { TEST_PROFILE } from './support/stand-in-kiosk.ts';

const view = (screen: ViewState['screen']): MainMessage => ({ type: 'view', view: baseView(screen) });

describe('the bridge both shells give the renderer', () => {
  it('hands a late listener the last profile and view, then every message', () => {
    const sent: RendererMessage[] = [];
    const core = createBridge({
      send: (message) => sent.push(message),
      sendFrame: () => {},
      sendCardFrame: () => {},
    });
    core.deliver(view('idle'));
    core.deliver({ type: 'profile', profile: TEST_PROFILE });
    core.deliver(view('method'));
    const heard: MainMessage[] = [];
    const stop = core.bridge.onMessage((message) => heard.push(message));
    expect(heard.map((message) => message.type)).toEqual(['profile', 'view']);
    expect(heard[1]).toEqual(view('method'));
    core.deliver({ type: 'face-feedback', reasons: ['too-far'] });
    stop();
    core.deliver(view('pin'));
    expect(heard).toHaveLength(3);
    core.bridge.send({ type: 'ready' });
    expect(sent).toEqual([{ type: 'ready' }]);
  });

  it('keeps delivering when one listener throws, and sends only ArrayBuffer frames', () => {
    const frames: ArrayBuffer[] = [];
    const core = createBridge({
      send: () => {},
      sendFrame: (jpeg) => frames.push(jpeg),
      sendCardFrame: () => {},
    });
    const heard: string[] = [];
    const quiet = console.error;
    console.error = () => {};
    try {
      core.bridge.onMessage(() => {
        throw new Error('broken screen');
      });
      core.bridge.onMessage((message) => heard.push(message.type));
      core.deliver(view('idle'));
    } finally {
      console.error = quiet;
    }
    expect(heard).toEqual(['view']);
    core.bridge.sendFrame(new ArrayBuffer(8));
    expect(() => core.bridge.sendFrame(new Uint8Array(8) as unknown as ArrayBuffer)).toThrow(TypeError);
    expect(frames).toHaveLength(1);
    expect(Object.isFrozen(core.bridge)).toBe(true);
  });

  it('sends a card-tray still only as an ArrayBuffer with a request number', () => {
    const stills: [number, ArrayBuffer][] = [];
    const core = createBridge({
      send: () => {},
      sendFrame: () => {},
      sendCardFrame: (request, jpeg) => stills.push([request, jpeg]),
    });
    const still = new ArrayBuffer(8);
    core.bridge.sendCardFrame(0xffffffff, still);
    for (const request of [-1, 0.5, 2 ** 32, Number.NaN, '3' as unknown as number])
      expect(() => core.bridge.sendCardFrame(request, still)).toThrow(TypeError);
    expect(() => core.bridge.sendCardFrame(3, new Uint8Array(8) as unknown as ArrayBuffer)).toThrow(
      TypeError,
    );
    expect(stills).toEqual([[0xffffffff, still]]);
  });
});

describe('token in the URL fragment', () => {
  function fakePage(hash: string) {
    const storage = new Map<string, string>();
    const replaced: string[] = [];
    const page = {
      location: { hash, pathname: '/operator', search: '?lang=ja', host: '127.0.0.1:1' },
      history: { replaceState: (_data: unknown, _unused: string, url: string) => replaced.push(url) },
      sessionStorage: {
        getItem: (key: string) => storage.get(key) ?? null,
        setItem: (key: string, value: string) => void storage.set(key, value),
      },
    } as unknown as TokenPage;
    return { page, replaced, storage };
  }

  it('takes it out of the address and keeps it for a reload of the tab', () => {
    const token = 'Ab-_'.repeat(11);
    const { page, replaced, storage } = fakePage(`#token=${token}`);
    expect(takeFragmentToken(page, 'k')).toBe(token);
    expect(replaced).toEqual(['/operator?lang=ja']);
    expect(storage.get('k')).toBe(token);
    page.location.hash = '';
    expect(takeFragmentToken(page, 'k')).toBe(token);
  });

  it('finds none in a fragment without one, or with something that is not a token', () => {
    for (const hash of [
      '',
      '#',
      '#token=',
      '#token=short',
      '#token=has space in it and more',
      '#tok=abcdefghijklmnopq',
    ]) {
      const { page, replaced } = fakePage(hash);
      expect(takeFragmentToken(page, 'k'), hash).toBeNull();
      expect(replaced).toEqual([]);
    }
  });
});
