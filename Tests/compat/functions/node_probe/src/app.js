// A handler in a subfolder: Handler "src/app.handler".
exports.handler = async (event) => ({ from: 'src/app', echo: event });
