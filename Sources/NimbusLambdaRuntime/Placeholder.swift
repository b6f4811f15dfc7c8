enum NimbusLambdaRuntimePlaceholder {}
