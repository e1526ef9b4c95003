class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

class OutOfStockError extends HttpError {
  constructor(sku) {
    super(409, `out of stock: ${sku}`);
    this.name = 'OutOfStockError';
  }
}

class NotFoundError extends HttpError {
  constructor(what) {
    super(404, `not found: ${what}`);
    this.name = 'NotFoundError';
  }
}

module.exports = { HttpError, OutOfStockError, NotFoundError };
