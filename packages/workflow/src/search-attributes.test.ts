import registered from '@payments/temporal/search-attributes.json';
import { SA } from './search-attributes';

test('every search attribute the workflow sets is registered on the server with the same type', () => {
  const types: Record<string, string> = { KEYWORD: 'Keyword', DOUBLE: 'Double', INT: 'Int', BOOL: 'Bool', DATETIME: 'Datetime', TEXT: 'Text', KEYWORD_LIST: 'KeywordList' };
  const ours = Object.fromEntries(Object.values(SA).map((k) => [k.name, types[k.type]]));
  expect(ours).toEqual(registered);
});
