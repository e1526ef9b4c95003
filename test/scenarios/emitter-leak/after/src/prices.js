const { EventEmitter } = require('node:events');

// One feed of price updates for the whole process.
const prices = new EventEmitter();

function publishPrice(symbol, value) {
  prices.emit('price', { symbol, value, at: Date.now() });
}

// Each connected client gets the prices it subscribed to.
function handleConnection(socket) {
  prices.on('price', (update) => {
    if (socket.symbols.has(update.symbol)) socket.send(JSON.stringify(update));
  });
}

module.exports = { prices, publishPrice, handleConnection };
