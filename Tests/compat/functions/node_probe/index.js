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
    case 'log':
      console.log(event.line);
      return { logged: true };
    default:
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { via: 'async', echo: event, count };
  }
};
