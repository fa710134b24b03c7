package com.telpro.control.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The largest request body the service reads. A trunk or user is a few KB of JSON and a
 * CA bundle upload is capped at 2 MB by the multipart settings; anything bigger is
 * refused with 413 before it is parsed.
 */
@ConfigurationProperties("telpro.http")
record RequestLimitsProperties(@DefaultValue("2MB") DataSize maxBodySize) {
}
