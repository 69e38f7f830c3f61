// ccxt trading conformance for the emulator's Binance trading side: ccxt's own signing code (HMAC over its
// own encoded request, key header, timestamp/recvWindow) places, fetches and cancels an order and fetches
// balances on spot and USD-M; every answer must parse in ccxt as it would against Binance. Run by run.js
// with NODE_EXTRA_CA_CERTS set to the emulator's CA. Exit code 0: every check passed.
'use strict';
const ccxt = require('ccxt');

const urls = JSON.parse(process.env.EMULATOR_URLS);
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

async function market(ex, symbol, label) {
  const ob = await ex.fetchOrderBook(symbol, 5);
  const m = ex.market(symbol);
  // A resting buy far below the book: accepted, listed, fetched, canceled.
  const price = ex.priceToPrecision(symbol, ob.bids[0][0] * 0.8);
  const minCost = (m.limits.cost && m.limits.cost.min) || 0;
  const amount = Number(ex.amountToPrecision(symbol, Math.max(m.limits.amount.min * 10, (minCost * 3) / Number(price))));
  const order = await ex.createOrder(symbol, 'limit', 'buy', amount, price);
  check(order.id !== undefined && order.status === 'open', `${label} createOrder limit: open with an id (${order.status}, ${order.id})`);
  check(typeof order.clientOrderId === 'string' && order.clientOrderId.length > 0, `${label} createOrder: clientOrderId echoed`);
  const fetched = await ex.fetchOrder(order.id, symbol);
  check(fetched.id === order.id && fetched.status === 'open' && fetched.amount === amount,
    `${label} fetchOrder: same order open, amount ${fetched.amount} == ${amount}`);
  const open = await ex.fetchOpenOrders(symbol);
  check(open.some((o) => o.id === order.id), `${label} fetchOpenOrders lists the order (${open.length} open)`);
  const canceled = await ex.cancelOrder(order.id, symbol);
  check(canceled.status === 'canceled', `${label} cancelOrder: canceled (${canceled.status})`);
  const after = await ex.fetchOrder(order.id, symbol);
  check(after.status === 'canceled', `${label} fetchOrder after cancel: canceled (${after.status})`);
  // A market buy fills at once; the balance moves.
  const before = await ex.fetchBalance();
  const filled = await ex.createOrder(symbol, 'market', 'buy', amount);
  check(filled.status === 'closed' && filled.filled === amount, `${label} market order filled (${filled.status}, ${filled.filled})`);
  const balance = await ex.fetchBalance();
  check(balance.total.USDT < before.total.USDT || m.linear, `${label} fetchBalance: USDT ${balance.total.USDT} after buying (was ${before.total.USDT})`);
  check(balance.total.USDT > 0, `${label} fetchBalance: USDT present (${balance.total.USDT})`);
  const trades = await ex.fetchMyTrades(symbol);
  check(trades.length > 0 && trades.every((t) => t.price > 0 && t.amount > 0), `${label} fetchMyTrades: ${trades.length} trades`);
  // A wrong secret is refused as Binance refuses it.
  const secret = ex.secret;
  ex.secret = 'not-the-secret';
  try {
    await ex.fetchBalance();
    check(false, `${label} bad signature refused`);
  } catch (e) {
    check(e instanceof ccxt.AuthenticationError, `${label} bad signature → AuthenticationError (${e.constructor.name}: ${e.message.slice(0, 120)})`);
  } finally {
    ex.secret = secret;
  }
}

(async () => {
  console.log(`== binance trading (ccxt ${ccxt.version})`);
  const make = (type) => {
    const ex = new ccxt.binance({
      apiKey: 'emulator-key',
      secret: 'emulator-secret',
      options: { defaultType: type, fetchMarkets: { types: [type === 'future' ? 'linear' : 'spot'] }, fetchMargins: false,
        fetchCurrencies: false, adjustForTimeDifference: false },
    });
    rewriteRest(ex.urls.api, urls.binance.rest);
    return ex;
  };
  const spot = make('spot');
  await spot.loadMarkets();
  await market(spot, 'BTC/USDT', 'binance spot');
  const usdm = make('future');
  await usdm.loadMarkets();
  await market(usdm, 'BTC/USDT:USDT', 'binance usdm');
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})().catch((e) => {
  console.log('FAIL: ' + (e && e.stack ? e.stack : e));
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
