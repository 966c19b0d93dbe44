/** CLI commands about the machine and serving: doctor (the compute backend, asked through the contract) and serve (the browser UI; it owns the process until Ctrl+C). */
import type { Command } from 'commander';
import { adapterLabel, adapterLimitsLine } from '../common/compute-report';
import { ApiError } from '../common/client/transport-port';
import { startHeadless } from '../headless';
import { int, type CliContext } from './context';

export function addSystemCommands(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('report the compute backend a trainer gets here, and why not the others')
    .action(() =>
      ctx.with('read', 'doctor', async ({ client }) => {
        const report = await client.call('system.backend');
        const { dataDir } = await client.call('app.info');
        ctx.print({ backend: report, dataDir, node: process.version }, () =>
          [
            `compute backend: ${report.name}${report.threads === undefined ? '' : ` on ${report.threads} thread${report.threads === 1 ? '' : 's'}`}${report.name === 'webgpu' && report.adapter ? ` on ${adapterLabel(report.adapter)}` : ''}`,
            ...(report.adapter ? [`GPU adapter: ${adapterLabel(report.adapter)}`, `  ${adapterLimitsLine(report.adapter)}`] : []),
            ...Object.entries(report.reasons).map(([name, why]) => `  not ${name}: ${why}`),
            `data directory: ${dataDir}`,
            `node: ${process.version}`,
          ].join('\n'),
        );
      }),
    );

  program
    .command('serve')
    .description('serve the workbench UI and API on 127.0.0.1 for a browser (Ctrl+C stops training after a checkpoint, then exits)')
    .option('--port <port>', 'port (default: a free one)', int('--port', 0, 65535), 0)
    .action(async (o: { port: number }) => {
      if (ctx.options.server) throw new ApiError('INVALID_REQUEST', 'serve opens its own data directory; it cannot run with --server');
      const app = await startHeadless({
        dataDir: ctx.dataDir,
        staticDir: ctx.app.staticDir,
        trainerEntry: ctx.app.trainer.entry,
        trainerExecArgv: ctx.app.trainer.execArgv,
        trainerEnv: ctx.trainerEnv(),
        port: o.port,
        compute: ctx.compute,
        version: ctx.version,
        log: (m) => process.stderr.write(`${m}\n`),
      });
      ctx.print({ url: app.server.openUrl, dataDir: app.workbench.dataDir.root }, () =>
        `GAN Workbench is serving on ${app.server.url}\nopen: ${app.server.openUrl}\ndata: ${app.workbench.dataDir.root}\n(Ctrl+C to stop)`,
      );
      // First signal: the active run stops after a checkpoint, then the server exits. Second: at once.
      let signals = 0;
      const onSignal = () => {
        signals++;
        if (signals === 1) {
          ctx.note('stopping: a training run stops after a checkpoint (press Ctrl+C again to stop at once)');
          void app.workbench
            .stopTraining()
            .catch((e: unknown) => ctx.note(e instanceof Error ? e.message : String(e)))
            .then(() => app.close())
            .finally(() => process.exit(0));
        } else {
          void app.workbench.stopTraining({ immediate: true });
        }
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
}
