module.exports = require('./jest');
