/**
 * The operator panel's script (runs in the browser): lists the test people whose virtual cards can
 * be placed on the reader, and sends the staff actions. The host checks every request.
 */

import { takeFragmentToken } from '../../preload/fragment-token.ts';
import { connectHost } from '../../preload/host-socket.ts';
import type { OperatorRequest, OperatorUpdate } from './operator-protocol.ts';

const element = (id: string): HTMLElement => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`operator page: #${id} is missing`);
  return found;
};

const CONNECTION_TEXT = {
  connected: '接続しました (connected)',
  disconnected: '接続が切れました。再接続しています… (reconnecting…)',
  refused:
    'このページは許可されていません。起動時に表示されたURLを開いてください (not authorised: open the URL printed at start)',
  replaced: '別の操作パネルが開かれました (another operator panel took over)',
};

const socket = connectHost({
  role: 'operator',
  token: takeFragmentToken(window, 'kiosk.operator-token'),
  onText: (text) => show(JSON.parse(text) as OperatorUpdate),
  onState: (state) => {
    element('connection').textContent = CONNECTION_TEXT[state];
  },
});

function send(request: OperatorRequest): void {
  if (!socket.send(JSON.stringify(request))) element('result').textContent = '未接続です (not connected)';
}

function show(update: OperatorUpdate): void {
  switch (update.type) {
    case 'people': {
      const items = update.people.map((person) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = `カードを置く: ${person.label}`;
        button.addEventListener('click', () => send({ type: 'insert', personId: person.id }));
        const item = document.createElement('li');
        item.append(button);
        return item;
      });
      element('people').replaceChildren(...items);
      // Test cards exist only in the demo; at a real counter the panel has the staff actions alone.
      if (items.length > 0) element('cards').removeAttribute('hidden');
      else element('cards').setAttribute('hidden', '');
      return;
    }
    case 'screen':
      element('screen').textContent = update.screen;
      element('visual-check').textContent = update.visualCheckArmed ? 'オン (on)' : 'オフ (off)';
      return;
    case 'result':
      element('result').textContent = update.ok
        ? `完了しました (${update.request} done)`
        : `できませんでした (${update.request} failed): ${update.error ?? ''}`;
      return;
  }
}

element('visual-check-button').addEventListener('click', () =>
  send({ type: 'staff', command: { type: 'STAFF_VISUAL_CHECK' } }),
);
element('confirmed-button').addEventListener('click', () =>
  send({ type: 'staff', command: { type: 'STAFF_CONFIRMED' } }),
);
element('remove-button').addEventListener('click', () => send({ type: 'remove' }));
