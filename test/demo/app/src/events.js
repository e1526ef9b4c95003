const { EventEmitter } = require('node:events');

// Order lifecycle events shared by the whole process.
const orderEvents = new EventEmitter();

module.exports = { orderEvents };
