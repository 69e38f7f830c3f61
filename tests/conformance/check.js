// The conformance checks: ccxt (unmodified, pinned in package-lock.json) pointed at venue-emulator through
// its own `urls` and market-type options, for Binance, Bybit and OKX: loadMarkets (and the instrument rules
// it parsed), fetchOrderBook, fetchTrades, fetchOHLCV, and watchOrderBook over WebSocket (several updates,
// each a consistent book: sorted, uncrossed, positive sizes, nonces rising). Every mismatch is reported.
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
  // Every REST base URL of the venue (strings anywhere in urls.api except the ws tree) onto the emulator.
  for (const key of Object.keys(api)) {
    if (key === 'ws') continue;
    const v = api[key];
    if (typeof v === 'string') api[key] = v.replace(/^https:\/\/[^/]+/, base);
    else if (v && typeof v === 'object') rewriteRest(v, base);
  }
}

// One check per book: sorted sides, not crossed, positive sizes.
function bookConsistent(ob, label) {
  let why = '';
  if (!(ob.bids.length > 0 && ob.asks.length > 0)) why = `both sides present (bids ${ob.bids.length}, asks ${ob.asks.length})`;
  for (let i = 1; i < ob.bids.length && !why; i++) if (!(ob.bids[i - 1][0] > ob.bids[i][0])) why = `bids sorted descending at ${i} (${ob.bids[i - 1][0]} then ${ob.bids[i][0]})`;
  for (let i = 1; i < ob.asks.length && !why; i++) if (!(ob.asks[i - 1][0] < ob.asks[i][0])) why = `asks sorted ascending at ${i} (${ob.asks[i - 1][0]} then ${ob.asks[i][0]})`;
  if (!why && !(ob.bids[0][0] < ob.asks[0][0])) why = `not crossed (bid ${ob.bids[0][0]} < ask ${ob.asks[0][0]})`;
  const zero = [...ob.bids, ...ob.asks].find((l) => !(l[1] > 0));
  if (!why && zero !== undefined) why = `every level has a positive size (found ${JSON.stringify(zero)})`;
  return check(why === '', `${label}: ${why}`);
}

async function venue(name, ex, expect) {
  console.log(`== ${name} (ccxt ${ccxt.version})`);
  try {
    const markets = await ex.loadMarkets();
    for (const [symbol, rules] of Object.entries(expect)) {
      const m = markets[symbol];
      if (!check(m !== undefined, `${name} loadMarkets: ${symbol} listed (got ${Object.keys(markets).join(', ')})`)) continue;
      check(m.precision.price === rules.tick, `${name} ${symbol}: price tick ${m.precision.price} == ${rules.tick}`);
      check(m.precision.amount === rules.step, `${name} ${symbol}: amount step ${m.precision.amount} == ${rules.step}`);
      check(m.limits.amount.min === rules.min, `${name} ${symbol}: min amount ${m.limits.amount.min} == ${rules.min}`);
      if (rules.contractSize !== undefined) check(m.contractSize === rules.contractSize, `${name} ${symbol}: contract size ${m.contractSize} == ${rules.contractSize}`);
      check(m.active !== false, `${name} ${symbol}: active`);
    }
    for (const symbol of Object.keys(expect)) {
      const ob = await ex.fetchOrderBook(symbol, 50);
      bookConsistent(ob, `${name} fetchOrderBook ${symbol}`);
      const trades = await ex.fetchTrades(symbol, undefined, 20);
      check(trades.length > 0, `${name} fetchTrades ${symbol}: returned trades (${trades.length})`);
      for (const t of trades.slice(0, 5)) {
        check(t.price > 0 && t.amount > 0 && (t.side === 'buy' || t.side === 'sell') && t.timestamp > 1.6e12,
          `${name} fetchTrades ${symbol}: well-formed trade ${JSON.stringify({ p: t.price, a: t.amount, s: t.side, ts: t.timestamp })}`);
      }
      const candles = await ex.fetchOHLCV(symbol, '1m', undefined, 10);
      check(candles.length >= 5, `${name} fetchOHLCV ${symbol}: at least 5 one-minute bars (${candles.length})`);
      let bad = candles.find((c) => !(c[3] <= Math.min(c[1], c[4]) && c[2] >= Math.max(c[1], c[4]) && c[5] >= 0));
      check(bad === undefined, `${name} fetchOHLCV ${symbol}: low <= open,close <= high (${JSON.stringify(bad)})`);
      bad = candles.find((c, i) => i > 0 && c[0] - candles[i - 1][0] !== 60000);
      check(bad === undefined, `${name} fetchOHLCV ${symbol}: consecutive minutes, oldest first (${JSON.stringify(bad)})`);
    }
    for (const symbol of Object.keys(expect)) {
      let last = -Infinity;
      let updates = 0;
      const deadline = Date.now() + 30000;
      while (updates < 6 && Date.now() < deadline) {
        const ob = await ex.watchOrderBook(symbol);
        updates++;
        if (!bookConsistent(ob, `${name} watchOrderBook ${symbol} update ${updates}`)) break;
        if (ob.nonce !== undefined) {
          check(ob.nonce >= last, `${name} watchOrderBook ${symbol}: nonce rises (${last} -> ${ob.nonce})`);
          last = ob.nonce;
        }
      }
      check(updates >= 6, `${name} watchOrderBook ${symbol}: 6 updates within 30 s (got ${updates})`);
      console.log(`  ${symbol}: watchOrderBook ok, ${updates} updates, best ${ex.orderbooks[symbol].bids[0][0]} / ${ex.orderbooks[symbol].asks[0][0]}`);
    }
  } catch (e) {
    check(false, `${name}: ${e.constructor.name}: ${e.message}`);
  } finally {
    await ex.close();
  }
}

(async () => {
  const binance = new ccxt.pro.binance({ options: { fetchMarkets: { types: ['spot', 'linear'] }, fetchMargins: false } });
  rewriteRest(binance.urls.api, urls.binance.rest);
  // ccxt tells spot from futures sockets by the host name (isSpotUrl looks for "/stream"): the emulator
  // serves spot streams under the prefix /stream-spot too.
  binance.urls.api.ws.spot = urls.binance.ws + '/stream-spot/ws';
  binance.urls.api.ws.future = urls.binance.ws + '/ws';  // ccxt routes this to /public/ws and /market/ws
  await venue('binance', binance, {
    'BTC/USDT': { tick: 0.01, step: 0.00001, min: 0.00001 },
    'ETH/USDT': { tick: 0.01, step: 0.0001, min: 0.0001 },
    'BTC/USDT:USDT': { tick: 0.1, step: 0.001, min: 0.001 },
  });

  const bybit = new ccxt.pro.bybit({ options: { fetchMarkets: { types: ['spot', 'linear'] } } });
  rewriteRest(bybit.urls.api, urls.bybit.rest);
  bybit.urls.api.ws.public.spot = urls.bybit.ws + '/v5/public/spot';
  bybit.urls.api.ws.public.linear = urls.bybit.ws + '/v5/public/linear';
  await venue('bybit', bybit, {
    'BTC/USDT': { tick: 0.1, step: 0.000001, min: 0.000048 },
    'BTC/USDT:USDT': { tick: 0.1, step: 0.001, min: 0.001 },
    'ETH/USDT:USDT': { tick: 0.01, step: 0.01, min: 0.01 },
  });

  const okx = new ccxt.pro.okx({ options: { fetchMarkets: { types: ['spot', 'swap'] } } });
  rewriteRest(okx.urls.api, urls.okx.rest);
  okx.urls.api.ws = urls.okx.ws + '/ws/v5';  // ccxt appends /public and /business
  await venue('okx', okx, {
    'BTC/USDT': { tick: 0.1, step: 0.00000001, min: 0.00001 },
    'BTC/USDT:USDT': { tick: 0.1, step: 0.01, min: 0.01, contractSize: 0.01 },
    'ETH/USDT:USDT': { tick: 0.01, step: 0.01, min: 0.01, contractSize: 0.1 },
  });

  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})().catch((e) => {
  console.log('FAIL: ' + (e && e.stack ? e.stack : e));
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
