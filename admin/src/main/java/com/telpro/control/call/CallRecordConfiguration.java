package com.telpro.control.call;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Gives the application its task scheduler (Spring Boot's), which the retention purge
 * runs on.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class CallRecordConfiguration {

}
