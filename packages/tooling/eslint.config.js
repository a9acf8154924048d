module.exports = require('./eslint')(__dirname);
