// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PL011 at 0x09000000, shared with the primary VM: the hypervisor only
 * writes characters and never reprograms it.
 */
#include <platform/platform.h>

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_TXFF	BIT(5)

static inline u32 uart_read(unsigned long off)
{
	return *(volatile u32 *)(PLATFORM_UART_BASE + off);
}

static inline void uart_write(unsigned long off, u32 v)
{
	*(volatile u32 *)(PLATFORM_UART_BASE + off) = v;
}

void platform_putc(char c)
{
	while (uart_read(UART_FR) & UART_FR_TXFF)
		;
	uart_write(UART_DR, (u8)c);
}
