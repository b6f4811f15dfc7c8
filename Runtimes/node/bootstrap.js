/**
 * Nimbus bootstrap for the nodejs* Lambda runtimes (CommonJS, no dependencies).
 *
 * Implements the AWS Lambda Runtime API loop and the Node.js handler contract as
 * AWS's Node.js runtime interface client does: `_HANDLER` = `[dir/]file.export[.nested]`
 * resolved under LAMBDA_TASK_ROOT (.js, .mjs, .cjs, extensionless, package.json
 * "type": "module"), async handlers, callback handlers with
 * context.callbackWaitsForEmptyEventLoop, the context object, AWS's error payloads
 * ({errorType, errorMessage, trace}) and AWS's console log format
 * (`<ISO time>\t<request id>\t<LEVEL>\t<message>`).
 */

'use strict';

const net = require('net');
const path = require('path');
const fs = require('fs');
const util = require('util');

const API_PREFIX = '/2018-06-01/runtime';
// Nimbus's own, outside the Runtime API: where a standby asks for its function.
const ASSIGNMENT_PATH = '/nimbus/standby/assignment';
const ERROR_TYPE_HEADER = 'Lambda-Runtime-Function-Error-Type';

// ---------------------------------------------------------------- errors

class ExtendedError extends Error {}
class ImportModuleError extends ExtendedError {}
class HandlerNotFound extends ExtendedError {}
class MalformedHandlerName extends ExtendedError {}
class UserCodeSyntaxError extends ExtendedError {}
class NodeJsExit extends ExtendedError {
  constructor() {
    super('Runtime exited without providing a reason');
  }
}
class UnhandledPromiseRejection extends ExtendedError {
  constructor(reason, promise) {
    super(reason);
    this.reason = reason;
    this.promise = promise;
  }
}
for (const e of [
  ImportModuleError,
  HandlerNotFound,
  MalformedHandlerName,
  UserCodeSyntaxError,
  NodeJsExit,
  UnhandledPromiseRejection,
]) {
  e.prototype.name = `Runtime.${e.name}`;
}

function isErrorLike(obj) {
  return (
    obj &&
    obj.name &&
    obj.message &&
    obj.stack &&
    typeof obj.name === 'string' &&
    typeof obj.message === 'string' &&
    typeof obj.stack === 'string'
  );
}

function intoError(err) {
  return err instanceof Error ? err : new Error(err);
}

/** The body AWS posts to /error and /init/error. */
function toRuntimeResponse(error) {
  try {
    if (util.types.isNativeError(error) || isErrorLike(error)) {
      return {
        errorType: error.name,
        errorMessage: error.message,
        trace: error.stack.split('\n'),
      };
    }
    return {
      errorType: typeof error,
      errorMessage: error.toString(),
      trace: [],
    };
  } catch (_err) {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

function withEnumerableProperties(error) {
  if (error instanceof Error) {
    const ret = Object.assign(
      { errorType: error.name, errorMessage: error.message, code: error.code },
      error,
    );
    if (typeof error.stack === 'string') {
      ret.stack = error.stack.split('\n');
    }
    return ret;
  }
  return error;
}

/** The error as AWS logs it: a tab, then JSON. */
function toFormatted(error) {
  try {
    return '\t' + JSON.stringify(error, (_k, v) => withEnumerableProperties(v));
  } catch (_err) {
    return '\t' + JSON.stringify(toRuntimeResponse(error));
  }
}

function xrayCause(error) {
  try {
    const stack = [];
    if (error && typeof error.stack === 'string') {
      for (const line of error.stack.split('\n').slice(1)) {
        const m = line.match(/^\s*at (?:(.*?) \()?(.*?):(\d+):\d+\)?$/);
        if (m) stack.push({ path: m[2], line: parseInt(m[3], 10), label: m[1] || 'anonymous' });
      }
    }
    return JSON.stringify({
      working_directory: process.cwd(),
      exceptions: [
        {
          type: error && error.name,
          message: error && error.message,
          stack: stack,
        },
      ],
      paths: [...new Set(stack.map((f) => f.path))],
    });
  } catch (_err) {
    return '';
  }
}

// ---------------------------------------------------------------- logging

const REQUEST_ID_SYMBOL = Symbol.for('aws.lambda.runtime.requestId');
const LEVELS = Object.freeze({
  TRACE: { name: 'TRACE', priority: 1 },
  DEBUG: { name: 'DEBUG', priority: 2 },
  INFO: { name: 'INFO', priority: 3 },
  WARN: { name: 'WARN', priority: 4 },
  ERROR: { name: 'ERROR', priority: 5 },
  FATAL: { name: 'FATAL', priority: 6 },
});

function jsonErrorReplacer(_k, value) {
  if (value instanceof Error) {
    return Object.assign(
      {
        errorType: (value.constructor && value.constructor.name) || 'UnknownError',
        errorMessage: value.message,
        stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
      },
      value,
    );
  }
  return value;
}

function formatJsonMessage(requestId, timestamp, level, ...params) {
  const result = { timestamp, level: level.name, requestId };
  if (params.length === 1) {
    result.message = params[0];
    try {
      return JSON.stringify(result, jsonErrorReplacer);
    } catch (_e) {
      result.message = util.format(result.message);
      return JSON.stringify(result);
    }
  }
  result.message = util.format(...params);
  for (const p of params) {
    if (p instanceof Error) {
      result.errorType = (p.constructor && p.constructor.name) || 'UnknownError';
      result.errorMessage = p.message;
      result.stackTrace = typeof p.stack === 'string' ? p.stack.split('\n') : [];
      break;
    }
  }
  return JSON.stringify(result);
}

const structuredConsole = {};

function patchConsole() {
  const json = (process.env.AWS_LAMBDA_LOG_FORMAT || '').toUpperCase() === 'JSON';
  const write = (level, message, ...params) => {
    const time = new Date().toISOString();
    const requestId = global[REQUEST_ID_SYMBOL];
    let line = json
      ? formatJsonMessage(requestId, time, level, message, ...params)
      : `${time}\t${requestId}\t${level.name}\t${util.format(message, ...params)}`;
    // One record per line: embedded newlines become CR, as AWS does.
    line = line.replace(/\n/g, '\r');
    process.stdout.write(line + '\n');
  };
  const nop = () => {};
  const configured = LEVELS[(process.env.AWS_LAMBDA_LOG_LEVEL || '').toUpperCase()] || LEVELS.TRACE;
  const at = (level) =>
    level.priority >= configured.priority ? (msg, ...params) => write(level, msg, ...params) : nop;
  console.trace = at(LEVELS.TRACE);
  console.debug = at(LEVELS.DEBUG);
  console.info = at(LEVELS.INFO);
  console.log = console.info;
  console.warn = at(LEVELS.WARN);
  console.error = at(LEVELS.ERROR);
  console.fatal = (msg, ...params) => write(LEVELS.FATAL, msg, ...params);
  structuredConsole.logError = json
    ? (_msg, err) => console.error(intoError(err))
    : (msg, err) => console.error(msg, toFormatted(intoError(err)));
}

// ---------------------------------------------------------------- Runtime API client

// A raw HTTP/1.1 client on `net`: requiring `http` costs about as much again as `net`
// itself at every cold start, and the runtime needs only one connection and three requests.

/** The status line and header fields of a response head (field names in lower case). */
function parseHead(text) {
  const lines = text.split('\r\n');
  const status = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0]);
  if (!status) {
    throw new Error(`Runtime API: bad status line '${lines[0]}'`);
  }
  const headers = {};
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon > 0) {
      headers[lines[i].slice(0, colon).trim().toLowerCase()] = lines[i].slice(colon + 1).trim();
    }
  }
  return { http10: status[1] === '0', status: parseInt(status[2], 10), headers };
}

/** The body of a chunked message at the start of `buffer`, or `undefined` while incomplete. */
function readChunked(buffer) {
  const chunks = [];
  let at = 0;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
    if (Number.isNaN(size)) {
      throw new Error('Runtime API: bad chunk size');
    }
    at = lineEnd + 2;
    if (size === 0) {
      // Trailer fields, then an empty line.
      for (;;) {
        const end = buffer.indexOf('\r\n', at);
        if (end < 0) return undefined;
        if (end === at) return Buffer.concat(chunks);
        at = end + 2;
      }
    }
    if (buffer.length < at + size + 2) return undefined;
    chunks.push(buffer.subarray(at, at + size));
    at += size + 2;
  }
}

/** Collects one response from a connection's bytes (Content-Length, chunked, or until close). */
class ResponseReader {
  constructor() {
    this.buffer = Buffer.alloc(0);
    this.head = null;
  }

  /**
   * Adds `data` (or the end of the connection when `ended`); returns the response
   * `{status, headers, body, closes}` once it is whole, else `undefined`.
   */
  feed(data, ended) {
    if (data) {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    }
    while (!this.head) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return this.incomplete(ended);
      const head = parseHead(this.buffer.toString('latin1', 0, end));
      this.buffer = this.buffer.subarray(end + 4);
      if (head.status >= 200) this.head = head; // interim 1xx responses are skipped
    }
    const { status, headers, http10 } = this.head;
    const connection = (headers.connection || '').toLowerCase();
    let closes = connection === 'close' || (http10 && connection !== 'keep-alive');
    let body;
    if (status === 204 || status === 304) {
      body = Buffer.alloc(0);
    } else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
      body = readChunked(this.buffer);
    } else if (headers['content-length'] !== undefined) {
      const length = parseInt(headers['content-length'], 10);
      if (this.buffer.length >= length) body = this.buffer.subarray(0, length);
    } else if (ended) {
      body = this.buffer; // delimited by the end of the connection
      closes = true;
    }
    return body === undefined ? this.incomplete(ended) : { status, headers, body, closes };
  }

  incomplete(ended) {
    if (ended) {
      throw new Error('Runtime API: the connection closed before the whole response arrived');
    }
    return undefined;
  }
}

class RuntimeClient {
  constructor(hostPort) {
    const i = hostPort.lastIndexOf(':');
    this.host = hostPort;
    this.hostname = i >= 0 ? hostPort.slice(0, i).replace(/^\[|\]$/g, '') : hostPort;
    this.port = i >= 0 ? parseInt(hostPort.slice(i + 1), 10) : 80;
    this.socket = null;
    // One persistent connection, one request at a time, in the order they were made.
    this.queue = Promise.resolve();
  }

  /** Resolves to `{status, headers, body}`; retries twice on a new connection. */
  request(method, urlPath, body, headers) {
    let head = `${method} ${urlPath} HTTP/1.1\r\nHost: ${this.host}\r\nUser-Agent: nimbus-lambda-node/${process.version}\r\n`;
    for (const name of Object.keys(headers || {})) {
      // Values come from errors' names and messages: no line breaks into the head.
      head += `${name}: ${String(headers[name]).replace(/[\r\n]+/g, ' ')}\r\n`;
    }
    if (body !== undefined) {
      head += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
    }
    const message = head + '\r\n' + (body === undefined ? '' : body);
    const send = () => this.send(message, 0);
    const result = this.queue.then(send, send);
    this.queue = result.catch(() => {});
    return result;
  }

  send(message, attempt) {
    const fresh = this.socket === null;
    if (fresh) {
      this.connect();
    }
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      const reader = new ResponseReader();
      let finished = false;
      const finish = (err, response) => {
        if (finished) return;
        finished = true;
        socket.removeListener('data', onData);
        socket.removeListener('end', onEnd);
        socket.removeListener('close', onEnd);
        socket.removeListener('error', finish);
        if (err || response.closes) {
          this.drop(socket);
        } else {
          socket.unref(); // an idle connection must not keep the event loop alive
        }
        if (err) reject(err);
        else resolve(response);
      };
      const read = (data, ended) => {
        let response;
        try {
          response = reader.feed(data, ended);
        } catch (err) {
          finish(err);
          return;
        }
        if (response) finish(null, response);
      };
      const onData = (data) => read(data, false);
      const onEnd = () => read(null, true);
      socket.on('data', onData);
      socket.on('end', onEnd);
      socket.on('close', onEnd);
      socket.on('error', finish);
      socket.ref();
      socket.write(message);
    }).catch((err) => {
      if (attempt >= 2) {
        throw err;
      }
      // A kept-alive connection the server had closed: again at once, on a new one.
      // A new connection that failed: again after a pause.
      return new Promise((resolve) => setTimeout(resolve, fresh ? 50 : 0)).then(() =>
        this.send(message, attempt + 1),
      );
    });
  }

  connect() {
    const socket = net.connect({ host: this.hostname, port: this.port });
    socket.setNoDelay(true);
    // Errors reach the request in flight through its own listener; an idle connection's
    // error only means the next request opens a new one.
    socket.on('error', () => {});
    socket.on('close', () => this.drop(socket));
    this.socket = socket;
  }

  drop(socket) {
    socket.destroy();
    if (this.socket === socket) {
      this.socket = null;
    }
  }

  async nextInvocation() {
    const res = await this.request('GET', `${API_PREFIX}/invocation/next`);
    if (res.status !== 200) {
      throw new Error(
        `Request to Lambda Runtime 'next' endpoint failed. Reason: '${res.status}'. Response body: '${res.body}'`,
      );
    }
    return { bodyJson: res.body.toString('utf8'), headers: res.headers };
  }

  async postInvocationResponse(response, id) {
    const body = serializeResponse(response);
    await this.request('POST', `${API_PREFIX}/invocation/${encodeURIComponent(id)}/response`, body, {
      'Content-Type': 'application/json',
    });
  }

  async postInvocationError(error, id) {
    const body = serializeResponse(toRuntimeResponse(error));
    const headers = { 'Content-Type': 'application/json', [ERROR_TYPE_HEADER]: 'Unhandled' };
    const cause = xrayCause(error);
    if (cause && Buffer.byteLength(cause) < 1024 * 1024) {
      headers['Lambda-Runtime-Function-XRay-Error-Cause'] = cause;
    }
    await this.request('POST', `${API_PREFIX}/invocation/${encodeURIComponent(id)}/error`, body, headers);
  }

  async postInitError(error) {
    const response = toRuntimeResponse(error);
    await this.request('POST', `${API_PREFIX}/init/error`, serializeResponse(response), {
      'Content-Type': 'application/json',
      [ERROR_TYPE_HEADER]: response.errorType,
    });
  }
}

function serializeResponse(body) {
  try {
    return JSON.stringify(body === undefined ? null : body);
  } catch (_err) {
    throw new Error('Unable to stringify response body');
  }
}

// ---------------------------------------------------------------- handler loading

const FUNCTION_EXPR = /^([^.]*)\.(.*)$/;

function moduleRootAndHandler(fullHandlerString) {
  const handlerString = path.basename(fullHandlerString);
  const moduleRoot = fullHandlerString.substring(0, fullHandlerString.indexOf(handlerString));
  return [moduleRoot, handlerString];
}

function splitHandlerString(handler) {
  const match = handler.match(FUNCTION_EXPR);
  if (!match || match.length !== 3) {
    throw new MalformedHandlerName('Bad handler');
  }
  return [match[1], match[2]];
}

function resolveHandler(object, nestedProperty) {
  return nestedProperty.split('.').reduce((nested, key) => nested && nested[key], object);
}

function tryRequireFile(file, extension) {
  const p = file + (extension || '');
  return fs.existsSync(p) && fs.statSync(p).isFile() ? require(p) : undefined;
}

async function tryAwaitImport(file, extension) {
  const p = file + (extension || '');
  if (fs.existsSync(p)) {
    return await import(require('url').pathToFileURL(p).href);
  }
  return undefined;
}

function hasFolderPackageJsonTypeModule(folder) {
  if (folder.endsWith('/node_modules')) {
    return false;
  }
  const pj = path.join(folder, '/package.json');
  if (fs.existsSync(pj)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(pj));
      if (pkg) {
        return pkg.type === 'module';
      }
    } catch (e) {
      console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
      return false;
    }
  }
  if (folder === '/' || path.dirname(folder) === folder) {
    return false;
  }
  return hasFolderPackageJsonTypeModule(path.resolve(folder, '..'));
}

async function tryRequire(appRoot, moduleRoot, module) {
  const lambdaStylePath = path.resolve(appRoot, moduleRoot, module);

  const extensionless = tryRequireFile(lambdaStylePath);
  if (extensionless) {
    return extensionless;
  }
  const pjHasModule = hasFolderPackageJsonTypeModule(path.resolve(path.dirname(lambdaStylePath)));
  if (!pjHasModule) {
    const loaded = tryRequireFile(lambdaStylePath, '.js');
    if (loaded) {
      return loaded;
    }
  }
  const loaded =
    (pjHasModule && (await tryAwaitImport(lambdaStylePath, '.js'))) ||
    (await tryAwaitImport(lambdaStylePath, '.mjs')) ||
    tryRequireFile(lambdaStylePath, '.cjs');
  if (loaded) {
    return loaded;
  }
  const nodeStylePath = require.resolve(module, { paths: [appRoot, moduleRoot] });
  return require(nodeStylePath);
}

async function loadUserApp(appRoot, moduleRoot, module) {
  try {
    return await tryRequire(appRoot, moduleRoot, module);
  } catch (e) {
    if (e instanceof SyntaxError) {
      throw new UserCodeSyntaxError(e);
    } else if (e.code !== undefined && e.code === 'MODULE_NOT_FOUND') {
      throw new ImportModuleError(e);
    } else {
      throw e;
    }
  }
}

async function loadHandler(appRoot, fullHandlerString) {
  if (fullHandlerString.includes('..')) {
    throw new MalformedHandlerName(
      `'${fullHandlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const [moduleRoot, moduleAndHandler] = moduleRootAndHandler(fullHandlerString);
  const [module, handlerPath] = splitHandlerString(moduleAndHandler);
  const userApp = await loadUserApp(appRoot, moduleRoot, module);
  const handlerFunc = resolveHandler(userApp, handlerPath);
  if (!handlerFunc) {
    throw new HandlerNotFound(`${fullHandlerString} is undefined or not exported`);
  }
  if (typeof handlerFunc !== 'function') {
    throw new HandlerNotFound(`${fullHandlerString} is not a function`);
  }
  return handlerFunc;
}

function isAsyncFunction(fn) {
  try {
    return !!(fn && typeof fn === 'function' && fn.constructor && fn.constructor.name === 'AsyncFunction');
  } catch (_e) {
    return false;
  }
}

// ---------------------------------------------------------------- the loop

/** The single 'beforeExit' action: what to do when the event loop empties. */
const beforeExit = {
  listener: () => {},
  invoke() {
    beforeExit.listener();
  },
  reset() {
    beforeExit.listener = () => {};
  },
  set(fn) {
    beforeExit.listener = fn;
  },
};

function parseJsonHeader(value, name) {
  if (value === undefined) {
    return undefined;
  }
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new Error(`Cannot parse ${name} as json: ${err.toString()}`);
  }
}

function isPromise(obj) {
  return obj && obj.then && typeof obj.then === 'function';
}

class Runtime {
  constructor(client, handler, errorCallbacks) {
    this.client = client;
    this.handler = handler;
    this.isAsync = isAsyncFunction(handler);
    this.errorCallbacks = errorCallbacks;
  }

  scheduleIteration() {
    setImmediate(() => {
      this.handleOnce().then(
        () => {},
        (err) => {
          console.log(`Unexpected Top Level Error: ${err.toString()}`);
          this.errorCallbacks.uncaughtException(err);
        },
      );
    });
  }

  /** The callback, the callback part of the context, and a function marking the invocation done. */
  buildCallbackContext(id) {
    const client = this.client;
    const scheduleNext = () => this.scheduleIteration();
    const reportFailure = (err) => {
      console.log(`Unexpected Top Level Error: ${err && err.toString()}`);
      this.errorCallbacks.uncaughtException(err);
    };
    const postError = (err) => {
      structuredConsole.logError('Invoke Error', err);
      client.postInvocationError(err, id).then(scheduleNext, reportFailure);
    };
    let completed = false;
    const complete = (result) => {
      if (completed) {
        console.error(
          'Invocation has already been reported as done. Cannot call complete more than once per invocation.',
        );
        return;
      }
      completed = true;
      let body;
      try {
        body = serializeResponse(result);
      } catch (err) {
        postError(err);
        return;
      }
      client
        .request('POST', `${API_PREFIX}/invocation/${encodeURIComponent(id)}/response`, body, {
          'Content-Type': 'application/json',
        })
        .then(scheduleNext, reportFailure);
    };

    let waitForEmptyEventLoop = true;
    const callback = (err, result) => {
      beforeExit.reset();
      if (err !== undefined && err !== null) {
        postError(err);
      } else if (!waitForEmptyEventLoop) {
        complete(result);
      } else {
        beforeExit.set(() => setImmediate(() => complete(result)));
      }
    };
    const done = (err, result) => {
      beforeExit.reset();
      if (err !== undefined && err !== null) {
        postError(err);
      } else {
        complete(result);
      }
    };
    const callbackContext = {
      get callbackWaitsForEmptyEventLoop() {
        return waitForEmptyEventLoop;
      },
      set callbackWaitsForEmptyEventLoop(value) {
        waitForEmptyEventLoop = value;
      },
      succeed: (result) => done(null, result),
      fail: (err) => (err === undefined || err === null ? done('handled') : done(err, null)),
      done: done,
    };

    // Only the first of callback/succeed/fail/done counts.
    let finished = false;
    const once = (fn) =>
      function () {
        if (!finished) {
          finished = true;
          fn.apply(null, arguments);
        }
      };
    callbackContext.succeed = once(callbackContext.succeed);
    callbackContext.fail = once(callbackContext.fail);
    callbackContext.done = once(callbackContext.done);
    return [once(callback), callbackContext, () => (completed = true)];
  }

  async handleOnce() {
    const { bodyJson, headers } = await this.client.nextInvocation();
    const invokeId = headers['lambda-runtime-aws-request-id'];
    if (!invokeId) {
      throw new Error('invocation id is missing or invalid');
    }
    global[REQUEST_ID_SYMBOL] = invokeId;

    const [callback, callbackContext, markCompleted] = this.buildCallbackContext(invokeId);

    try {
      this.errorCallbacks.uncaughtException = (error) => {
        this.client.postInvocationError(error, invokeId).finally(() => process.exit(129));
      };
      this.errorCallbacks.unhandledRejection = (error) => {
        this.client.postInvocationError(error, invokeId).finally(() => process.exit(128));
      };
      beforeExit.set(() => {
        markCompleted();
        if (this.isAsync) {
          const error = new NodeJsExit();
          structuredConsole.logError('Invoke Error', error);
          this.client.postInvocationError(error, invokeId).then(() => this.scheduleIteration());
        } else {
          this.client.postInvocationResponse(null, invokeId).then(() => this.scheduleIteration());
        }
      });

      const trace = headers['lambda-runtime-trace-id'];
      if (trace) {
        process.env._X_AMZN_TRACE_ID = trace;
      } else {
        delete process.env._X_AMZN_TRACE_ID;
      }
      const deadline = headers['lambda-runtime-deadline-ms'];
      const context = Object.assign(
        callbackContext,
        {
          functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
          functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
          memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
          logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
          logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
        },
        {
          clientContext: parseJsonHeader(headers['lambda-runtime-client-context'], 'ClientContext'),
          identity: parseJsonHeader(headers['lambda-runtime-cognito-identity'], 'CognitoIdentity'),
          invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
          awsRequestId: invokeId,
          tenantId: headers['lambda-runtime-aws-tenant-id'],
          getRemainingTimeInMillis: function () {
            return deadline - Date.now();
          },
        },
      );

      const result = this.handler(JSON.parse(bodyJson), context, callback);
      if (isPromise(result)) {
        result.then(callbackContext.succeed, callbackContext.fail).catch(callbackContext.fail);
      }
    } catch (err) {
      callback(err);
    }
  }
}

/**
 * A standby waits here, started but nobody's yet, until the server gives it a function: that
 * function's whole environment, which replaces the standby's own, and its task root to work in.
 * Nothing of the function (its code, handler, log format) has been looked at before this returns.
 */
async function takeAssignment(client) {
  const token = process.env._NIMBUS_STANDBY_TOKEN || '';
  const res = await client.request('GET', ASSIGNMENT_PATH, undefined, { 'Nimbus-Standby-Token': token });
  if (res.status !== 200) {
    process.stderr.write(`this standby got no function: ${res.status} ${res.body}\n`);
    process.exit(1);
  }
  const environment = JSON.parse(res.body.toString('utf8'));
  for (const name of Object.keys(process.env)) {
    delete process.env[name];
  }
  Object.assign(process.env, environment);
  if (environment.LAMBDA_TASK_ROOT) {
    process.chdir(environment.LAMBDA_TASK_ROOT);
  }
}

async function run() {
  const address = process.env.AWS_LAMBDA_RUNTIME_API;
  if (!address) {
    process.stderr.write('AWS_LAMBDA_RUNTIME_API is not set\n');
    process.exit(1);
  }
  const client = new RuntimeClient(address);
  if (process.argv[2] === '--standby') {
    process.argv.splice(2, 1);
    await takeAssignment(client);
  }
  patchConsole();

  const errorCallbacks = {
    uncaughtException: (error) => {
      client.postInitError(error).finally(() => process.exit(129));
    },
    unhandledRejection: (error) => {
      client.postInitError(error).finally(() => process.exit(128));
    },
  };
  process.on('uncaughtException', (error) => {
    structuredConsole.logError('Uncaught Exception', error);
    errorCallbacks.uncaughtException(error);
  });
  process.on('unhandledRejection', (reason, promise) => {
    const error = new UnhandledPromiseRejection(reason, promise);
    structuredConsole.logError('Unhandled Promise Rejection', error);
    errorCallbacks.unhandledRejection(error);
  });
  beforeExit.reset();
  process.on('beforeExit', beforeExit.invoke);

  const appRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const handlerString = process.argv[2] || process.env._HANDLER || '';
  let handlerFunc;
  try {
    handlerFunc = await loadHandler(appRoot, handlerString);
  } catch (error) {
    // AWS reports load failures through its uncaught-exception path.
    structuredConsole.logError('Uncaught Exception', error);
    errorCallbacks.uncaughtException(error);
    return;
  }
  new Runtime(client, handlerFunc, errorCallbacks).scheduleIteration();
}

if (require.main === module) {
  run();
}

module.exports = { run, toRuntimeResponse, loadHandler, ResponseReader };
