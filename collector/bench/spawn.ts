/** Starts bench/target.ts in a process of its own and stops it; shared by run.ts and profile.ts. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const TOKEN = 'bench-token-0123456789abcdef';
const collectorDir = fileURLToPath(new URL('..', import.meta.url));

export interface Target {
  url: string;
  child: ChildProcess;
}

/** `nodeArgs` go before the script (e.g. `--cpu-prof`); `env` is added to this process's. */
export async function startTarget(env: Record<string, string>, nodeArgs: string[] = []): Promise<Target> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'bench/target.ts'], {
    cwd: collectorDir,
    env: { ...process.env, SM_API_TOKEN: TOKEN, DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) resolve(JSON.parse(line).url);
    });
    child.on('exit', (code) => reject(new Error(`bench target exited with ${code}`)));
  });
  return { url, child };
}

export const stopTarget = ({ child }: Target) => new Promise<void>((resolve) => {
  if (child.exitCode !== null) return resolve();
  child.once('exit', () => resolve());
  child.kill('SIGTERM');
});
