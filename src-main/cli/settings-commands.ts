/** CLI command `settings`: the settings and the memory budget in force, or `--set key=value` to change them (null = automatic). */
import type { Command } from 'commander';
import { parseOverride } from '../common/config-resolve';
import type { SettingsView } from '../common/settings';
import { collect, type CliContext } from './context';

const AUTOMATIC: Record<SettingsView['memoryBudget']['automaticSource'], string> = {
  'free-memory': 'half the free RAM',
  'gpu-buffer-limit': "the GPU's buffer limit",
};

function describe(view: SettingsView): string {
  const b = view.memoryBudget;
  return [
    ...Object.entries(view.settings).map(([key, value]) => `${key} = ${value === null ? 'null (automatic)' : JSON.stringify(value)}`),
    `memory budget for new runs: ${b.effectiveMB} MB (${b.source === 'settings' ? 'set in settings' : `automatic: ${AUTOMATIC[b.automaticSource]}`})`,
    ...(b.source === 'settings' ? [`automatic would be: ${b.automaticMB} MB (${AUTOMATIC[b.automaticSource]})`] : []),
  ].join('\n');
}

export function addSettingsCommands(program: Command, ctx: CliContext): void {
  program
    .command('settings')
    .description('show the settings and the memory budget in force, or change them')
    .option('--set <key=value>', 'change one setting, e.g. --set memoryBudgetMB=4096 (=null for automatic) or --set trainingSlots=2 (repeatable)', collect)
    .action((o: { set?: string[] }) =>
      ctx.with(o.set ? 'write' : 'read', 'settings', async ({ client }) => {
        const patch = Object.assign({}, ...(o.set ?? []).map(parseOverride)) as Record<string, unknown>;
        const view = o.set ? await client.call('settings.update', patch) : await client.call('settings.get');
        ctx.print(view, () => describe(view));
      }),
    );
}
