module.exports = require('@payments/tooling/jest');
