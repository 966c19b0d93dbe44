/** The command line's entry: every command goes through the contract's router (cli/program.ts lists them). */
import { locateApp } from './cli/context';
import { runCli } from './cli/program';

void runCli(process.argv.slice(2), locateApp(import.meta.url)).then((code) => {
  process.exitCode = code;
});
