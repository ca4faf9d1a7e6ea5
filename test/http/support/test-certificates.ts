/** A throw-away CA and a server certificate for 127.0.0.1/localhost, made with the openssl CLI in a temp dir. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  caFile: string;
  caPem: string;
  key: string;
  cert: string;
  cleanup(): Promise<void>;
}

export async function createTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'bt-http-tls-'));
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('ca.key'), '-out', path('ca.pem'), '-days', '2',
    '-subj', '/CN=beyondtrust-mcp test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('server.key'), '-out', path('server.csr'),
    '-subj', '/CN=localhost');
  await writeFile(path('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  openssl('x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial',
    '-out', path('server.pem'), '-days', '2', '-extfile', path('san.ext'));
  return {
    dir,
    caFile: path('ca.pem'),
    caPem: await readFile(path('ca.pem'), 'utf8'),
    key: await readFile(path('server.key'), 'utf8'),
    cert: await readFile(path('server.pem'), 'utf8'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
