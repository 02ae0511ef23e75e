import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const bin = new URL('../../bin/parley.js', import.meta.url).pathname;

/** Runs `parley` until it prints `until` (then stops it) or exits by itself. */
function run(args: string[], until?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`parley ${args.join(' ')} did not finish:\n${stdout}\n${stderr}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until?.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('parley serve', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    dirs.push(dir);
    return dir;
  };
  beforeAll(() => {
    if (!existsSync(new URL('../../dist/node/server/cli.js', import.meta.url)))
      throw new Error('run `npm run build` first (npm test does)');
  });
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates the demo once, prints it and saves demo.json', async () => {
    const data = tempDir();
    const first = await run(['serve', '--port', '0', '--data', data, '--demo'], /saved in/);
    expect(first.stdout).toMatch(/parley listening on http:\/\/127\.0\.0\.1:\d+ \(store: sqlite/);
    const demo = JSON.parse(readFileSync(join(data, 'demo.json'), 'utf8')) as {
      widgetId: string;
      identitySecret: string;
      agent: { email: string; password: string };
      urls: { demoPage: string; hub: string };
    };
    expect(demo.widgetId).toMatch(/^[0-9a-f-]{36}$/);
    expect(demo.identitySecret.length).toBeGreaterThanOrEqual(32);
    expect(demo.agent.email).toBe('agent@demo.parley.local');
    expect(demo.agent.password.length).toBeGreaterThanOrEqual(16);
    expect(first.stdout).toContain(demo.widgetId);
    expect(first.stdout).toContain(demo.agent.password);
    expect(demo.urls.hub).toMatch(/\/hub$/);
    expect(demo.urls.demoPage).toContain(`widget=${demo.widgetId}`);

    const second = await run(['serve', '--port', '0', '--data', data, '--demo'], /saved in/);
    expect(second.stdout).toContain(demo.widgetId);
    expect(JSON.parse(readFileSync(join(data, 'demo.json'), 'utf8'))).toMatchObject({
      widgetId: demo.widgetId,
      agent: demo.agent,
    });
  });

  it('takes its flags from env vars too', async () => {
    const data = tempDir();
    const child = await new Promise<{ stdout: string }>((resolve) => {
      const proc = spawn(process.execPath, [bin, 'serve'], {
        env: { ...process.env, PARLEY_PORT: '0', PARLEY_DATA: data, DATABASE_URL: '' },
      });
      let stdout = '';
      proc.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/listening.*\n/.test(stdout)) proc.kill('SIGTERM');
      });
      proc.on('exit', () => resolve({ stdout }));
    });
    expect(child.stdout).toContain(join(data, 'parley.db'));
  });

  it('refuses bad flags with a message and exit code 2', async () => {
    const badPort = await run(['serve', '--port', 'eighty']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/--port/);
    const badUrl = await run(['serve', '--database-url', 'mysql://localhost/x']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/postgres/);
    const unknown = await run(['serve', '--colour', 'blue']);
    expect(unknown.code).toBe(2);
    const help = await run(['serve', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--database-url/);
  });
});
