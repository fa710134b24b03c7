package com.telpro.control.subscriber;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

interface SubscriberRepository extends JpaRepository<Subscriber, Integer> {

	List<Subscriber> findAllByOrderByDomainAscUsernameAsc();

	boolean existsByUsernameAndDomain(String username, String domain);

}
