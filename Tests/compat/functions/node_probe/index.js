// Async handler for the node compat tests; the event's "action" picks what it does.
// `count` lives as long as the instance does (warm reuse).
let count = 0;

exports.handler = async (event, context) => {
  count += 1;
  switch (event.action) {
    case 'context':
      return {
        functionName: context.functionName,
        functionVersion: context.functionVersion,
        invokedFunctionArn: context.invokedFunctionArn,
        memoryLimitInMB: context.memoryLimitInMB,
        awsRequestId: context.awsRequestId,
        logGroupName: context.logGroupName,
        logStreamName: context.logStreamName,
        remainingMs: context.getRemainingTimeInMillis(),
        callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
      };
    case 'throw':
      throw new Error(event.message || 'boom');
    case 'process': {
      // How the process was started and what it sees of the filesystem (standby tests).
      const fs = require('fs');
      const root = process.env.LAMBDA_TASK_ROOT;
      return {
        cmdline: fs.readFileSync('/proc/self/cmdline', 'utf8').split('\0').filter((a) => a),
        cwd: process.cwd(),
        taskRoot: root,
        files: fs.readdirSync(root).sort(),
        name: process.env.AWS_LAMBDA_FUNCTION_NAME,
        marker: process.env.MARKER || null,
        tz: process.env.TZ,
        nodeOptions: process.execArgv,
      };
    }
    case 'log':
      console.log(event.line);
      return { logged: true };
    default:
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { via: 'async', echo: event, count };
  }
};
