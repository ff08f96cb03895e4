/**
 * The screen of each flow state lives on the state itself (`meta.screen`): a state added without
 * one, or given a second one inside a state that already names its screen, fails here rather than
 * showing the patient a wrong screen.
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { SCREENS } from '../../../src/common/ui-protocol.ts';
import { CONTINUE_PROMPT, flowMachine } from '../../../src/reception/flow-machine.ts';

function atomicStates(node: AnyStateNode): AnyStateNode[] {
  const children = Object.values(node.states);
  return children.length === 0 ? [node] : children.flatMap(atomicStates);
}

/** The screens named on the way from the root to `node`: what the snapshot's getMeta() gives there. */
function screensOn(node: AnyStateNode): string[] {
  const screens: string[] = [];
  for (let at: AnyStateNode | undefined = node; at; at = at.parent) {
    if (at.meta?.screen) screens.push(at.meta.screen);
  }
  return screens;
}

describe('flow state → screen', () => {
  const states = atomicStates(flowMachine.root);

  it('gives every state exactly one screen', () => {
    expect(states.length).toBeGreaterThan(20);
    const wrong = states
      .map((node) => ({ state: node.id, screens: screensOn(node) }))
      .filter(({ screens }) => screens.length !== 1);
    expect(wrong).toEqual([]);
  });

  it('uses every screen the renderer draws', () => {
    const named = new Set(states.flatMap(screensOn));
    expect([...named].sort()).toEqual([...SCREENS].sort());
  });

  it('tags 「続けますか？」 on exactly the states that take CONTINUE', () => {
    const tagged = states.filter((node) => node.tags.includes(CONTINUE_PROMPT)).map((n) => n.id);
    const continuing = states.filter((node) => node.ownEvents.includes('CONTINUE')).map((n) => n.id);
    expect(tagged.length).toBe(5);
    expect(tagged).toEqual(continuing);
  });
});
