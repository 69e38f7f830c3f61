// Bybit trading conformance: ccxt's own bybit class (unmodified, its own signing code) places, fetches and
// cancels orders and fetches balances against venue-emulator's private REST. If the emulator checked
// signatures, timestamps or payload shapes differently from Bybit, ccxt's requests or its parsing of the
// replies would fail here.
// run.js calls chain(child, line) once: after check.js exits 0, this file runs in a child Node process
// (NODE_EXTRA_CA_CERTS must be set at start-up) and its exit code becomes the run's.
'use strict';
const { spawn } = require('child_process');

exports.chain = (child, line) => {
  const urls = JSON.parse(line);
  const emit = child.emit.bind(child);
  child.emit = (event, ...args) => {
    if (event !== 'exit' || args[0] !== 0) return emit(event, ...args);
    const t = spawn(process.execPath, [__filename], {
      stdio: 'inherit',
      env: { ...process.env, NODE_EXTRA_CA_CERTS: urls.ca_file, EMULATOR_URLS: line },
    });
    t.on('exit', (code) => emit('exit', code === null ? 1 : code, null));
    return true;
  };
};

let passed = 0;
let failed = 0;
function check(cond, what) {
  if (cond) { passed++; return true; }
  failed++;
  console.log('  MISMATCH: ' + what);
  return false;
}

function rewriteRest(api, base) {
  for (const key of Object.keys(api)) {
    if (key === 'ws') continue;
    const v = api[key];
    if (typeof v === 'string') api[key] = v.replace(/^https:\/\/[^/]+/, base);
    else if (v && typeof v === 'object') rewriteRest(v, base);
  }
}

async function roundTrip(ex, symbol, amount, price) {
  const label = `bybit ${symbol}`;
  const order = await ex.createOrder(symbol, 'limit', 'buy', amount, price);
  check(typeof order.id === 'string' && order.id.length > 0, `${label} createOrder returns an id (got ${JSON.stringify(order.id)})`);
  const fetched = await ex.fetchOpenOrder(order.id, symbol);
  check(fetched.id === order.id, `${label} fetchOpenOrder finds the order`);
  check(fetched.status === 'open', `${label} fetchOpenOrder status open (got ${fetched.status})`);
  check(fetched.price === price, `${label} price ${price} (got ${fetched.price})`);
  check(fetched.amount === amount, `${label} amount ${amount} (got ${fetched.amount})`);
  check(fetched.side === 'buy' && fetched.type === 'limit', `${label} side/type (got ${fetched.side}/${fetched.type})`);
  const open = await ex.fetchOpenOrders(symbol);
  check(open.some((o) => o.id === order.id), `${label} fetchOpenOrders lists it`);
  await ex.cancelOrder(order.id, symbol);
  const after = await ex.fetchOpenOrders(symbol);
  check(!after.some((o) => o.id === order.id), `${label} gone from open orders after cancelOrder`);
  let refused = false;
  try {
    await ex.cancelOrder(order.id, symbol);
  } catch (e) {
    refused = e instanceof ccxtLib().OrderNotFound || e instanceof ccxtLib().InvalidOrder;
    if (!refused) console.log(`  (second cancel raised ${e.constructor.name}: ${e.message})`);
  }
  check(refused, `${label} cancelling again raises OrderNotFound/InvalidOrder (a Bybit retCode ccxt maps)`);
}

function ccxtLib() { return require('ccxt'); }

async function main() {
  const ccxt = ccxtLib();
  const urls = JSON.parse(process.env.EMULATOR_URLS);
  const ex = new ccxt.bybit({
    apiKey: 'emulator-key',
    secret: 'emulator-secret',
    options: {
      fetchMarkets: { types: ['spot', 'linear'] },
      // The account is a Unified Trading Account (v5 is UTA-only); saying so skips ccxt's account probes.
      enableUnifiedAccount: true,
      enableUnifiedMargin: false,
    },
  });
  rewriteRest(ex.urls.api, urls.bybit.rest);
  // With keys, ccxt's loadMarkets also asks the private coin list (/v5/asset/coin/query-info), which the
  // emulator does not serve (no deposits/withdrawals): markets alone are enough for trading.
  ex.has.fetchCurrencies = false;
  try {
    await ex.loadMarkets();
    await roundTrip(ex, 'BTC/USDT', 0.001, 30000);
    await roundTrip(ex, 'BTC/USDT:USDT', 0.001, 30000);
    const balance = await ex.fetchBalance();
    check(balance.USDT !== undefined && balance.USDT.total > 0, `bybit fetchBalance has USDT (got ${JSON.stringify(balance.USDT)})`);
    check(balance.BTC !== undefined && balance.BTC.total > 0, `bybit fetchBalance has BTC (got ${JSON.stringify(balance.BTC)})`);
    // A market order that fills, seen by ccxt as closed with its fill.
    const m = await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.001);
    const trades = await ex.fetchMyTrades('BTC/USDT:USDT', undefined, 50);
    check(trades.some((t) => t.order === m.id && t.amount === 0.001), `bybit fetchMyTrades has the market order's fill`);
    // A request signed with the wrong secret is refused as an authentication error.
    const bad = new ccxt.bybit({ apiKey: 'emulator-key', secret: 'wrong', options: { enableUnifiedAccount: true, enableUnifiedMargin: false } });
    rewriteRest(bad.urls.api, urls.bybit.rest);
    bad.markets = ex.markets; bad.markets_by_id = ex.markets_by_id; bad.symbols = ex.symbols; bad.ids = ex.ids;
    let authError = false;
    try { await bad.fetchBalance(); } catch (e) { authError = e instanceof ccxt.AuthenticationError; if (!authError) console.log(`  (bad secret raised ${e.constructor.name}: ${e.message})`); }
    check(authError, 'bybit wrong secret → AuthenticationError (retCode 10004)');
  } catch (e) {
    check(false, `bybit trading threw ${e.constructor.name}: ${e.message}`);
  }
  console.log(`bybit trading conformance: ${passed} checks passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

if (require.main === module) main();
