import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../src/commands/parse.js';

describe('parseCommandText', () => {
  it('GIVEN /latest THEN it is the latest command with no arguments', () => {
    expect(parseCommandText('/latest')).toEqual({ name: 'latest', args: [], text: '' });
  });

  it('GIVEN a command addressed to us THEN the @botname is dropped, case-insensitively', () => {
    expect(parseCommandText('/latest@OurBot', 'ourbot')).toEqual({ name: 'latest', args: [], text: '' });
    expect(parseCommandText('/search@ourbot nerf', '@OurBot')).toEqual({ name: 'search', args: ['nerf'], text: 'nerf' });
  });

  it('GIVEN a command addressed to another bot THEN it is not ours (null)', () => {
    expect(parseCommandText('/latest@otherbot', 'ourbot')).toBeNull();
  });

  it('GIVEN a command with @botname and no known username THEN it is accepted', () => {
    expect(parseCommandText('/latest@somebot')?.name).toBe('latest');
  });

  it('GIVEN upper-case names THEN the name is lower-cased but the arguments keep their case', () => {
    expect(parseCommandText('/SEARCH NeRF')).toEqual({ name: 'search', args: ['NeRF'], text: 'NeRF' });
  });

  it('GIVEN a full-width slash THEN it is a command', () => {
    expect(parseCommandText('／search 目标检测')).toEqual({ name: 'search', args: ['目标检测'], text: '目标检测' });
  });

  it('GIVEN Unicode white space between arguments THEN it splits on all of it and trims text', () => {
    const parsed = parseCommandText('  /search\u3000Qwen\u00a0开源 \t2\n ');
    expect(parsed).toEqual({ name: 'search', args: ['Qwen', '开源', '2'], text: 'Qwen\u00a0开源 \t2' });
  });

  it('GIVEN the name followed by a newline THEN the newline separates it from the arguments', () => {
    expect(parseCommandText('/issue\n20210814')).toEqual({ name: 'issue', args: ['20210814'], text: '20210814' });
  });

  it('GIVEN text that is not a command THEN it is null', () => {
    expect(parseCommandText('latest')).toBeNull();
    expect(parseCommandText('')).toBeNull();
    expect(parseCommandText('/')).toBeNull();
    expect(parseCommandText('/ latest')).toBeNull();
    expect(parseCommandText('/@ourbot', 'ourbot')).toBeNull();
  });
});
