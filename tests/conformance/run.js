// Starts venue-emulator on ephemeral ports, then runs check.js in a child Node process whose
// NODE_EXTRA_CA_CERTS is the emulator's CA (Node reads that variable only at start-up), and stops the
// emulator afterwards. Exit code: check.js's.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const readline = require('readline');

const [emulator, work] = process.argv.slice(2);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const emu = spawn(emulator, ['--cert-dir', path.join(work, 'certs'), '--urls-file', path.join(work, 'urls.json'),
  '--seed', '7', '--warmup-minutes', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
let stderr = '';
emu.stderr.on('data', (d) => { stderr += d; });
const fail = (msg) => {
  console.error('FAIL: ' + msg);
  console.error('--- emulator stderr (last 4000 chars) ---\n' + stderr.slice(-4000));
  try { emu.kill('SIGTERM'); } catch (e) { /* already gone */ }
  process.exit(1);
};
const timer = setTimeout(() => fail('the emulator printed no URL line within 30 s'), 30000);
emu.on('exit', (code) => fail('the emulator exited early with code ' + code));
readline.createInterface({ input: emu.stdout }).once('line', (line) => {
  clearTimeout(timer);
  let urls;
  try { urls = JSON.parse(line); } catch (e) { fail('URL line is not JSON: ' + line); }
  console.log('emulator URLs: ' + line);
  if (require('child_process').spawnSync(process.execPath, [path.join(__dirname, 'trading_binance.js')], { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: urls.ca_file, EMULATOR_URLS: line } }).status !== 0) fail('trading_binance.js failed');
  const child = spawn(process.execPath, [path.join(__dirname, 'check.js')], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: urls.ca_file, EMULATOR_URLS: line, NODE_OPTIONS: `--require ${path.join(__dirname, 'trading_okx.js')}` },
  });
  require('./trading_bybit.js').chain(child, line);  // then Bybit trading through ccxt's own signing
  const watchdog = setTimeout(() => { child.kill('SIGKILL'); fail('check.js did not finish within 240 s'); }, 240000);
  child.on('exit', (code) => {
    clearTimeout(watchdog);
    emu.removeAllListeners('exit');
    emu.kill('SIGTERM');
    if (code !== 0) console.error('--- emulator stderr (last 3000 chars) ---\n' + stderr.slice(-3000));
    process.exit(code === null ? 1 : code);
  });
});
