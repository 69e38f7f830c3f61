// ccxt's OKX trading side against venue-emulator: ccxt's own signing (OK-ACCESS-SIGN over its ISO
// timestamp, method, path and body) creates a resting limit order, fetches it and the open orders,
// cancels it, sells into the book and reads the fill back (fetchOrder, fetchMyTrades), and fetches
// balances. Loaded into check.js's process with `node --require` (run.js adds it to NODE_OPTIONS) so it
// shares the emulator and NODE_EXTRA_CA_CERTS; it runs when check.js finishes, then exits with the worse
// of the two results. The emulator's account uses its default credentials (venue-emulator --help).
'use strict';

const exit = process.exit.bind(process);

async function tradingOkx() {
  const ccxt = require('ccxt');
  const urls = JSON.parse(process.env.EMULATOR_URLS);
  let passed = 0;
  let failed = 0;
  const check = (cond, what) => {
    if (cond) passed++;
    else { failed++; console.log('  MISMATCH: ' + what); }
  };
  console.log(`== okx trading (ccxt ${ccxt.version})`);
  const okx = new ccxt.okx({ apiKey: 'emulator-key', secret: 'emulator-secret', password: 'emulator-passphrase',
    options: { fetchMarkets: { types: ['spot', 'swap'] } } });
  okx.has.fetchCurrencies = false;  // /api/v5/asset/* is not emulated; markets carry what trading needs
  for (const key of Object.keys(okx.urls.api)) {
    if (key !== 'ws' && typeof okx.urls.api[key] === 'string') okx.urls.api[key] = okx.urls.api[key].replace(/^https:\/\/[^/]+/, urls.okx.rest);
  }
  try {
    await okx.loadMarkets();
    const before = await okx.fetchBalance();
    check(before.USDT !== undefined && before.USDT.free > 0, `fetchBalance: USDT free > 0 (${JSON.stringify(before.USDT)})`);
    const book = await okx.fetchOrderBook('BTC/USDT', 5);
    const far = Math.floor(book.bids[0][0] / 2);

    const created = await okx.createOrder('BTC/USDT', 'limit', 'buy', 0.001, far);
    check(typeof created.id === 'string' && created.id.length > 0, `createOrder: an order id (${created.id})`);
    const fetched = await okx.fetchOrder(created.id, 'BTC/USDT');
    check(fetched.status === 'open', `fetchOrder: open (${fetched.status})`);
    check(fetched.price === far && fetched.amount === 0.001 && fetched.side === 'buy' && fetched.type === 'limit',
      `fetchOrder: price ${fetched.price}, amount ${fetched.amount}, ${fetched.side} ${fetched.type}`);
    check(fetched.clientOrderId === created.clientOrderId, `fetchOrder: client order id ${fetched.clientOrderId} == ${created.clientOrderId}`);
    const open = await okx.fetchOpenOrders('BTC/USDT');
    check(open.some((o) => o.id === created.id), `fetchOpenOrders: lists ${created.id}`);
    const locked = await okx.fetchBalance();
    check(locked.USDT.used >= far * 0.001 - 1e-9, `fetchBalance: the order's USDT is locked (used ${locked.USDT.used})`);
    await okx.cancelOrder(created.id, 'BTC/USDT');
    const canceled = await okx.fetchOrder(created.id, 'BTC/USDT');
    check(canceled.status === 'canceled', `fetchOrder after cancelOrder: canceled (${canceled.status})`);

    // A marketable limit sell: filled against the book, the fill readable back.
    const sell = await okx.createOrder('BTC/USDT', 'limit', 'sell', 0.001, Math.floor(book.bids[0][0] * 0.9));
    const done = await okx.fetchOrder(sell.id, 'BTC/USDT');
    check(done.status === 'closed' && done.filled === 0.001, `sell: closed and filled 0.001 (${done.status}, ${done.filled})`);
    const trades = await okx.fetchMyTrades('BTC/USDT');
    check(trades.some((t) => t.order === sell.id && t.amount > 0 && t.price > 0), `fetchMyTrades: a fill of ${sell.id}`);
    const after = await okx.fetchBalance();
    check(Math.abs(before.BTC.total - 0.001 - after.BTC.total) < 1e-9, `fetchBalance: BTC down by 0.001 (${before.BTC.total} -> ${after.BTC.total})`);

    // A wrong secret is refused with OKX's signature error, which ccxt maps to AuthenticationError.
    const wrong = new ccxt.okx({ apiKey: 'emulator-key', secret: 'nope', password: 'emulator-passphrase' });
    wrong.urls.api = okx.urls.api;
    wrong.markets = okx.markets;
    wrong.marketsById = okx.marketsById;
    wrong.symbols = okx.symbols;
    let refused = '';
    try { await wrong.fetchBalance(); } catch (e) { refused = e.constructor.name + ' ' + e.message; }
    check(refused.startsWith('AuthenticationError') && refused.includes('50113'), `bad signature refused with 50113 (${refused})`);
  } catch (e) {
    failed++;
    console.log('  FAIL: ' + (e && e.stack ? e.stack : e));
  }
  console.log(`okx trading: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

// check.js ends with process.exit(code): run the trading checks first, then exit with the worse code.
process.exit = (code) => {
  process.exit = exit;
  tradingOkx().then((c) => exit(Math.max(code || 0, c)), (e) => { console.log('FAIL: ' + e); exit(1); });
};
