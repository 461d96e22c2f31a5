import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../shared/observability';

describe('the logger and transactional message data', () => {
  it('never writes the values of `data` or `content`, whatever they look like', () => {
    // Prepare
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const info = vi.spyOn(console, 'info').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    const logger = createLogger('test');
    logger.setLogLevel('INFO');

    // Act
    logger.info('message accepted', {
      data: { orderId: 'A-1042', amount: '۱۲۰٬۰۰۰ تومان' },
      content: { text: 'سفارش A-1042 ارسال شد' },
      messageId: '01M8VHPMM93R0B5YV33VR3226J',
    });
    write.mockRestore();
    info.mockRestore();

    // Assess
    const output = lines.join('\n');
    expect(output).toContain('01M8VHPMM93R0B5YV33VR3226J');
    expect(output).toContain('orderId');
    expect(output).not.toContain('A-1042');
    expect(output).not.toContain('۱۲۰٬۰۰۰');
  });
});
