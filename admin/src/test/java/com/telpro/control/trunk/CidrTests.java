package com.telpro.control.trunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTests {

	@ParameterizedTest
	@CsvSource({ "54.172.60.0/23, 54.172.60.0/23", "54.172.61.7/23, 54.172.60.0/23", "10.30.0.13, 10.30.0.13/32",
			"10.30.0.13/32, 10.30.0.13/32", " 192.0.2.1 , 192.0.2.1/32", "0.0.0.0/0, 0.0.0.0/0" })
	void ipv4IsNormalised(String input, String normalised) {
		Cidr cidr = Cidr.parse(input);
		assertThat(cidr.isIpv4()).isTrue();
		assertThat(cidr).hasToString(normalised);
	}

	@ParameterizedTest
	@CsvSource({ "2001:db8::/32, 2001:db8::/32", "2001:DB8:ffff::1/32, 2001:db8::/32", "::1, ::1/128",
			"fe80::1:2/64, fe80::/64", "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1/128",
			"2001:0:0:1:0:0:0:0/128, 2001:0:0:1::/128", "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1/128" })
	void ipv6IsNormalised(String input, String normalised) {
		Cidr cidr = Cidr.parse(input);
		assertThat(cidr.isIpv4()).isFalse();
		assertThat(cidr).hasToString(normalised);
	}

	@Test
	void rangesAreInclusiveUnsignedBounds() {
		Cidr v4 = Cidr.parse("54.172.60.0/23");
		assertThat(v4.low()).isEqualTo(BigInteger.valueOf(0x36AC3C00L));
		assertThat(v4.high()).isEqualTo(BigInteger.valueOf(0x36AC3DFFL));
		Cidr single = Cidr.parse("255.255.255.255");
		assertThat(single.low()).isEqualTo(single.high()).isEqualTo(BigInteger.valueOf(0xFFFFFFFFL));
		Cidr v6 = Cidr.parse("2001:db8::/126");
		assertThat(v6.high().subtract(v6.low())).isEqualTo(BigInteger.valueOf(3));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  ", "10.0.0.256", "10.0.0", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/a",
			"2001:db8::/129", "sip.example.com", "localhost", "::ffff:10.0.0.1", "1:2:3:4:5:6:7:8:9", "10.0.0.1/24/8",
			"http://10.0.0.1" })
	void badInputIsRefusedWithAReason(String input) {
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(input)).withMessageNotContaining("Exception");
	}

	@Test
	void nullIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(null)).withMessage("is empty");
	}

}
