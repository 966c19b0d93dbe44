/** CLI commands about the machine and serving: doctor (compute backend) and serve (the browser UI). */
import type { Command } from 'commander';
import { adapterLabel, adapterLimitsLine } from '../common/compute-report';
import { startHeadless } from '../headless';
import { int, type CliContext } from './context';

export function addSystemCommands(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('report the compute backend a trainer gets here, and why not the others')
    .action(async () => {
      const wb = ctx.open();
      try {
        const report = await wb.host.probeBackend();
        ctx.print({ backend: report, dataDir: wb.dataDir.root, node: process.version }, () =>
          [
            `compute backend: ${report.name}${report.name === 'webgpu' && report.adapter ? ` on ${adapterLabel(report.adapter)}` : ''}`,
            ...(report.adapter ? [`GPU adapter: ${adapterLabel(report.adapter)}`, `  ${adapterLimitsLine(report.adapter)}`] : []),
            ...Object.entries(report.reasons).map(([name, why]) => `  not ${name}: ${why}`),
            `data directory: ${wb.dataDir.root}`,
            `node: ${process.version}`,
          ].join('\n'),
        );
      } finally {
        wb.close();
      }
    });

  program
    .command('serve')
    .description('serve the workbench UI and API on 127.0.0.1 for a browser')
    .option('--port <port>', 'port (default: a free one)', int('--port', 0, 65535), 0)
    .action(async (o: { port: number }) => {
      const app = await startHeadless({
        dataDir: ctx.dataDir,
        staticDir: ctx.app.staticDir,
        trainerEntry: ctx.app.trainer.entry,
        trainerExecArgv: ctx.app.trainer.execArgv,
        port: o.port,
        compute: ctx.compute,
        version: ctx.version,
        log: (m) => process.stderr.write(`${m}\n`),
      });
      ctx.print({ url: app.server.openUrl, dataDir: app.workbench.dataDir.root }, () =>
        `GAN Workbench is serving on ${app.server.url}\nopen: ${app.server.openUrl}\ndata: ${app.workbench.dataDir.root}\n(Ctrl+C to stop)`,
      );
      const shutdown = () => void app.close().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}
