package com.example.payments;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The application's REST API under {@code /payments/api}. */
@ApplicationPath("api")
public class PaymentsApplication extends Application {
}
