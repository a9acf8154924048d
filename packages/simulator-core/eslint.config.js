module.exports = require('@payments/tooling/eslint')(__dirname);
