import { describe, expect, it } from 'vitest';
import type { ReleasePhaseDetail } from '../../../lambdas/domain/releasePhaseEvent.ts';
import { renderReleaseMessage } from '../../../lambdas/domain/renderReleaseMessage.ts';

const detail = (overrides: Partial<ReleasePhaseDetail>): ReleasePhaseDetail => ({
  phase: 'Started',
  releaseId: 'rel-1',
  service: 'web',
  environment: 'prod',
  at: '2025-01-01T01:00:00.000Z',
  ...overrides,
});
const textOf = (message: ReturnType<typeof renderReleaseMessage>): string => JSON.stringify(message.blocks);

describe('Function: renderReleaseMessage', () => {
  it('offers Promote and Roll back buttons naming this release while it waits for promotion', () => {
    // Act
    const message = renderReleaseMessage(detail({ phase: 'WaitingForPromotion', weight: 50 }));

    // Assess
    const actions = message.blocks.find((block) => block.type === 'actions') as { elements: { action_id: string; value: string }[] } | undefined;
    expect(actions?.elements.map((button) => JSON.parse(button.value))).toEqual([
      { service: 'web', environment: 'prod', releaseId: 'rel-1' },
      { service: 'web', environment: 'prod', releaseId: 'rel-1' },
    ]);
    expect(message.text).toContain('waiting for promotion at 50 %');
  });

  it('offers Approve and Reject buttons naming this release while it waits at the approval gate', () => {
    // Act
    const message = renderReleaseMessage(detail({ phase: 'WaitingForApproval', endsAt: '2025-01-02T01:00:00.000Z' }));

    // Assess
    const actions = message.blocks.find((block) => block.type === 'actions') as { elements: { action_id: string; value: string; text: { text: string } }[] } | undefined;
    expect(actions?.elements.map((button) => [button.action_id, button.text.text, JSON.parse(button.value)])).toEqual([
      ['cutover_approve', 'Approve', { service: 'web', environment: 'prod', releaseId: 'rel-1' }],
      ['cutover_reject', 'Reject', { service: 'web', environment: 'prod', releaseId: 'rel-1' }],
    ]);
    expect(textOf(message)).toContain('waiting for an approval until 2025-01-02T01:00:00.000Z');
  });

  it('offers no buttons in any other phase', () => {
    // Act
    const phases = (['Started', 'WeightChanged', 'Succeeded', 'RolledBack', 'Failed'] as const).map((phase) => renderReleaseMessage(detail({ phase })));

    // Assess
    for (const message of phases) expect(message.blocks.some((block) => block.type === 'actions')).toBe(false);
  });

  it('shows the cause of a rollback with Slack control characters escaped', () => {
    // Act
    const message = renderReleaseMessage(detail({ phase: 'RolledBack', cause: 'AlarmFired: <!channel> & friends' }));

    // Assess
    expect(textOf(message)).toContain('AlarmFired: &lt;!channel&gt; &amp; friends');
    expect(textOf(message)).not.toContain('<!channel>');
  });

  it('names the failed gate of a failed release', () => {
    // Act
    const message = renderReleaseMessage(detail({ phase: 'Failed', error: 'MigrationFailed', cause: 'migration exited 1' }));

    // Assess
    expect(textOf(message)).toContain('MigrationFailed: migration exited 1');
  });

  it('says what to do when a succeeded release carries a post-promotion migration warning', () => {
    // Act
    const message = renderReleaseMessage(detail({ phase: 'Succeeded', warning: 'contract migration exited 1' }));

    // Assess
    expect(textOf(message)).toContain('Post-promotion migration failed');
    expect(textOf(message)).toContain('contract migration exited 1');
    expect(textOf(message)).toContain('docs/migrations.md');
  });
});
