// An ES module handler (index.mjs style), as nodejs18.x and later accept.
export const handler = async (event) => ({ from: 'esm', echo: event });
