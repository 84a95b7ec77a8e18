//! Topic deliveries to function subscriptions: the world invokes the
//! function asynchronously with the event SNS gives Lambda.

use super::World;
use crate::sim::broker::FunctionDelivery;
use crate::sim::sandbox::Event as HandlerEvent;

impl World {
    /// Invokes (asynchronously) the functions that topic subscriptions
    /// delivered to, with an SNS-shaped event.
    pub(super) fn route_function_deliveries(&mut self) {
        if self.broker.function_deliveries_pending() == 0 || self.functions.list.is_empty() {
            return;
        }
        let deliveries = self.broker.take_function_deliveries();
        for delivery in deliveries {
            match self.functions.index_of(&delivery.function) {
                Some(function) => {
                    let event = HandlerEvent::Json(sns_event(&delivery));
                    self.functions.invoke_async(
                        &mut self.kernel,
                        function,
                        event,
                        Some(delivery.message_id),
                    );
                }
                None => self.broker.keep_function_delivery(delivery),
            }
        }
    }
}

/// The event SNS gives a subscribed function: Lambda's SNS event shape
/// (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html), with
/// `EventVersion`, `Type` and the publish time as ISO-8601 text.
fn sns_event(delivery: &FunctionDelivery) -> serde_json::Value {
    use crate::sim::broker::envelope::{attributes_json, topic_arn};
    let arn = topic_arn(&delivery.topic);
    let subscription_arn = format!("{arn}:{}", delivery.subscription);
    serde_json::json!({
        "Records": [{
            "EventSource": "aws:sns",
            "EventVersion": "1.0",
            "EventSubscriptionArn": subscription_arn,
            "Sns": {
                "Type": "Notification",
                "MessageId": delivery.message_id.to_string(),
                "TopicArn": arn,
                "Message": delivery.body,
                "Timestamp": crate::sim::timestamp::iso8601_ms(delivery.published_at_ms),
                "SignatureVersion": "1",
                "Signature": "SIMULATED",
                "SigningCertUrl": "https://sns.sim.amazonaws.com/SimpleNotificationService-sim.pem",
                "UnsubscribeUrl": format!("https://sns.sim.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={subscription_arn}"),
                "MessageAttributes": attributes_json(&delivery.attributes),
            }
        }]
    })
}
