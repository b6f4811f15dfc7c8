// A callback-style handler: the result comes through callback(null, value) after a timer.
exports.handler = (event, context, callback) => {
  setTimeout(() => callback(null, { via: 'callback', echo: event }), 10);
};
