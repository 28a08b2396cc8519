// Cucumber configuration: the acceptance features of the tapscale CLI.
module.exports = {
  default: {
    paths: ['tests/features/*.feature'],
    require: ['tests/features/step_definitions/*.js'],
    format: ['progress', 'summary'],
  },
};
